using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistIpam.Testing;

/// <summary>
/// Free TCP ports on the loopback interface, below the kernel's ephemeral range: the kernel gives
/// the source port of every outgoing connection (and every bind to port 0) from that range, so a
/// port of a test server stopped for a restart could be taken meanwhile, and the restart then failed
/// with "address already in use" (seen once in tests/run.sh). Each process starts at its own offset
/// and never hands out one port twice; every port is bind-tested before it is handed out.
/// </summary>
public static class FreePort
{
    private const int Low = 10_000;
    private const int MaxAttempts = 2_000;
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();
    private static readonly int High = EphemeralStart();
    private static readonly Lock Gate = new();
    private static int _cursor = Environment.ProcessId * 7_919 % Math.Max(1, High - Low);

    /// <summary>One free loopback port.</summary>
    public static int Next() => Next(1)[0];

    /// <summary><paramref name="count"/> distinct free loopback ports, all held open while they are picked.</summary>
    public static IReadOnlyList<int> Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var held = new List<Socket>();
        try
        {
            var ports = new List<int>();
            for (var attempt = 0; ports.Count < count; attempt++)
            {
                if (attempt >= MaxAttempts)
                {
                    throw new InvalidOperationException($"found only {ports.Count} of {count} free loopback ports below {High} in {MaxAttempts} attempts");
                }

                var port = NextCandidate();
                if (!HandedOut.TryAdd(port, true))
                {
                    continue;
                }

                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    held.Add(socket);
                    ports.Add(port);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                }
            }

            return ports;
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    private static int NextCandidate()
    {
        lock (Gate)
        {
            _cursor = (_cursor + 1) % (High - Low);
            return Low + _cursor;
        }
    }

    // The first port of /proc/sys/net/ipv4/ip_local_port_range (32768 by default on Linux).
    private static int EphemeralStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
            var start = int.Parse(first, CultureInfo.InvariantCulture);
            return start > Low + 1_000 ? start : 32_768;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
