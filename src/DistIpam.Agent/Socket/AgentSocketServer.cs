using System.Net.Sockets;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Socket;

/// <summary>
/// The plugin's edge: a Unix stream socket (mode 0660) speaking <see cref="AgentFrame"/>s. At most
/// <see cref="AgentOptions.MaxClients"/> connections are served at once; as many more may wait up to
/// <see cref="AgentOptions.ReadTimeout"/> for a slot (a burst of pod starts), the rest are closed at once;
/// each must deliver every frame within <see cref="AgentOptions.ReadTimeout"/> (idle included), so a
/// slow or silent client cannot pin a slot. A malformed frame gets one error frame and the connection
/// is closed; nothing a client sends can stop the server (docs/agent.md, Protocol).
/// </summary>
public sealed partial class AgentSocketServer(
    IOptions<AgentOptions> options,
    AgentDispatcher dispatcher,
    ILogger<AgentSocketServer> logger) : BackgroundService
{
    private static readonly TimeSpan ErrorWriteTimeout = TimeSpan.FromSeconds(1);
    private readonly AgentOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxClients, options.Value.MaxClients);
    private int _active;

    /// <summary>Connections being served now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <inheritdoc />
    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = Bind(_options.SocketPath);
        LogListening(logger, _options.SocketPath, _options.MaxClients);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                System.Net.Sockets.Socket client;
                try
                {
                    client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException e)
                {
                    // EMFILE and friends: keep serving the connections we have, try again shortly.
                    LogAcceptFailed(logger, e.SocketErrorCode.ToString());
                    await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (Interlocked.Increment(ref _active) > 2 * _options.MaxClients)
                {
                    Interlocked.Decrement(ref _active);
                    LogTooManyClients(logger, _options.MaxClients);
                    client.Dispose();
                    continue;
                }

                _ = ServeAsync(client, stoppingToken);
            }
        }
        finally
        {
            TryDelete(_options.SocketPath);
        }
    }

    private static System.Net.Sockets.Socket Bind(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // A socket file left by a killed agent refuses bind(2); nothing listens on it any more.
        TryDelete(path);
        var listener = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            // Before listen(2): no client can connect while the file still has the umask's mode.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            listener.Listen(128);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private async Task ServeAsync(System.Net.Sockets.Socket client, CancellationToken stoppingToken)
    {
        var slot = false;
        try
        {
            slot = await _slots.WaitAsync(_options.ReadTimeout, stoppingToken).ConfigureAwait(false);
            if (!slot)
            {
                LogTooManyClients(logger, _options.MaxClients);
                client.Dispose();
                return;
            }

            await using var stream = new NetworkStream(client, ownsSocket: true);
            while (!stoppingToken.IsCancellationRequested)
            {
                AgentFrame? request;
                using (var read = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    read.CancelAfter(_options.ReadTimeout);
                    try
                    {
                        request = await AgentFrame.ReadAsync(stream, read.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogSlowClient(logger, _options.ReadTimeout.TotalMilliseconds);
                        return;
                    }
                    catch (InvalidDataException e)
                    {
                        LogBadFrame(logger, e.Message);
                        await TryWriteErrorAsync(stream, e.Message).ConfigureAwait(false);
                        return;
                    }
                }

                if (request is not { } frame)
                {
                    return;
                }

                AgentFrame answer;
                try
                {
                    answer = await dispatcher.DispatchAsync(frame, stoppingToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    // An undecodable message or a response kind sent as a request: not our protocol.
                    LogBadFrame(logger, e.Message);
                    await TryWriteErrorAsync(stream, e.Message).ConfigureAwait(false);
                    return;
                }

                await answer.WriteAsync(stream, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (or the agent is stopping): nothing to answer.
        }
        finally
        {
            if (slot)
            {
                _slots.Release();
            }

            Interlocked.Decrement(ref _active);
        }
    }

    private static async Task TryWriteErrorAsync(Stream stream, string message)
    {
        using var timeout = new CancellationTokenSource(ErrorWriteTimeout);
        try
        {
            var error = new AgentError { GrpcStatus = (int)Grpc.Core.StatusCode.InvalidArgument, Message = $"bad frame: {message}" };
            await new AgentFrame(AgentMessageKind.Error, error.ToByteArray()).WriteAsync(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The client is gone or not reading: closing is all that is left.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Another process's file; bind reports it.
        }
    }

    [LoggerMessage(EventId = 15000, Level = LogLevel.Information, Message = "Agent listening on {Path} (at most {MaxClients} clients)")]
    private static partial void LogListening(ILogger logger, string path, int maxClients);

    [LoggerMessage(EventId = 15001, Level = LogLevel.Warning, Message = "Accepting a connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 15002, Level = LogLevel.Warning, Message = "Connection refused: {MaxClients} clients are being served")]
    private static partial void LogTooManyClients(ILogger logger, int maxClients);

    [LoggerMessage(EventId = 15003, Level = LogLevel.Warning, Message = "Connection closed: no whole frame within {TimeoutMs} ms")]
    private static partial void LogSlowClient(ILogger logger, double timeoutMs);

    [LoggerMessage(EventId = 15004, Level = LogLevel.Warning, Message = "Connection closed after a bad frame: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string reason);
}
