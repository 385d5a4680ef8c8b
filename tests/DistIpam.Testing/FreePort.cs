using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DistIpam.Testing;

/// <summary>
/// Free TCP ports on the loopback interface. The kernel picks them (bind to port 0); this process
/// never hands out one port twice, so parallel test classes do not collide with each other.
/// </summary>
public static class FreePort
{
    private const int MaxAttempts = 100;
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

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
                    throw new InvalidOperationException($"found only {ports.Count} of {count} free loopback ports in {MaxAttempts} attempts");
                }

                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                if (HandedOut.TryAdd(port, true))
                {
                    ports.Add(port);
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
}
