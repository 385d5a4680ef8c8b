using System.Net;

namespace DistIpam.Server.Hosting;

/// <summary>Parses "host:port" listen options into endpoints with an error naming the option.</summary>
public static class ListenAddress
{
    /// <summary>The endpoint of <paramref name="value"/>, e.g. "127.0.0.1:50051" or "[::1]:50051".</summary>
    public static IPEndPoint Parse(string option, string value)
    {
        if (IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        throw new InvalidOperationException($"DistIpam:{option} '{value}' is not an address:port (e.g. 127.0.0.1:50051 or [::1]:50051)");
    }
}
