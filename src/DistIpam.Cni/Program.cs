using System.Net;
using DistIpam.Cni;
using DistIpam.Cni.Configuration;

// The whole process: one CNI invocation. stdin and stdout belong to the CNI protocol; logs go to stderr.
using var stdout = Console.OpenStandardOutput();
var plugin = new CniPlugin(Environment.GetEnvironmentVariable, ReadStdin, stdout, Console.Error, Dns.GetHostName);
return await plugin.RunAsync().ConfigureAwait(false);

// A network configuration is a few hundred bytes: start small rather than with Stream.CopyTo's 80 KiB buffer.
static ReadOnlyMemory<byte> ReadStdin()
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[4096];
    var length = 0;
    int read;
    while ((read = stdin.Read(buffer, length, buffer.Length - length)) > 0)
    {
        length += read;
        if (length > ConfigurationReader.MaxStdinBytes)
        {
            // Enough to refuse it (code 6): the rest is never read into memory.
            break;
        }

        if (length == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    return buffer.AsMemory(0, length);
}
