using System.Diagnostics;
using System.Net.Sockets;
using DistIpam.Api.Agent;
using Google.Protobuf;

namespace DistIpam.Bench.Cni;

/// <summary>Times one request to the agent as the plugin makes it (connect, one frame out, one back), without the process start.</summary>
public static class AgentFrameClient
{
    /// <summary>The round trip; throws when the agent answers with an error frame.</summary>
    public static async Task<TimeSpan> TimeAsync(string socketPath, AgentMessageKind kind, IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = Stopwatch.GetTimestamp();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await new AgentFrame(kind, request.ToByteArray()).WriteAsync(stream, timeout.Token);
        var answer = await AgentFrame.ReadAsync(stream, timeout.Token);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return answer is { } frame && frame.Kind == kind
            ? elapsed
            : throw new InvalidOperationException($"the agent answered {kind} with {(answer is null ? "nothing" : answer.Value.Kind.ToString())}");
    }
}
