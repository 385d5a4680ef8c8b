using Microsoft.Win32.SafeHandles;

namespace DistIpam.Cni.Invocation;

/// <summary>
/// A plain file stream on one of descriptors 0-2 that, like System.Console's streams, drops what it
/// writes once the reader has gone (EPIPE): a runtime that closed our stdout wants no answer, and an
/// exception there would turn a finished call into a crash. Used instead of System.Console, whose
/// first write sets up terminal and signal handling and a thread (docs/agent.md, Where an ADD's time goes).
/// </summary>
internal sealed class StandardStream(SafeFileHandle handle, FileAccess access) : FileStream(handle, access, bufferSize: 0)
{
    private const int BrokenPipe = 32;
    private bool _broken;

    // A FileStream subclass's span Write goes through the array overload (FileStream honours
    // overrides that way), so the array overload is the one that writes; the others lead to it.

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_broken)
        {
            return;
        }

        try
        {
            base.Write(buffer, offset, count);
        }
        catch (IOException e) when (e.HResult == BrokenPipe)
        {
            _broken = true;
        }
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value], 0, 1);
}
