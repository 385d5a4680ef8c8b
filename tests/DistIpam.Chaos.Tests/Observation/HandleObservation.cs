using System.Net.Sockets;
using System.Text.RegularExpressions;
using DistIpam.Chaos.Tests.Client;
using Grpc.Core;

namespace DistIpam.Chaos.Tests.Observation;

/// <summary>What Ipam.Check said about one handle.</summary>
/// <param name="Key">The handle key.</param>
/// <param name="Status">How the Check ended (Unknown: the cluster did not answer, nothing can be concluded).</param>
/// <param name="Code">OK (holds exactly the expected addresses), NOT_FOUND (holds nothing) or FAILED_PRECONDITION (holds others).</param>
/// <param name="Held">The addresses it holds (from the reply, or named in the FAILED_PRECONDITION message).</param>
/// <param name="Detail">The status detail.</param>
internal sealed partial record HandleObservation(string Key, CallStatus Status, StatusCode Code, IReadOnlyList<string> Held, string Detail)
{
    /// <summary>Whether the server answered (OK, NOT_FOUND or FAILED_PRECONDITION).</summary>
    public bool Answered => Status is CallStatus.Succeeded or CallStatus.Refused;

    /// <summary>Whether it holds addresses of both families.</summary>
    public bool HoldsBothFamilies => Held.Select(FamilyOf).Distinct().Count() == 2;

    /// <summary>A handle that holds <paramref name="addresses"/> (for hand-made histories).</summary>
    public static HandleObservation Holding(string key, params string[] addresses) =>
        new(key, CallStatus.Succeeded, StatusCode.OK, addresses, "");

    /// <summary>A handle that holds nothing (for hand-made histories).</summary>
    public static HandleObservation Empty(string key) =>
        new(key, CallStatus.Refused, StatusCode.NotFound, [], $"handle '{key}' holds no addresses");

    /// <summary>Reads a Check reply or failure.</summary>
    public static HandleObservation From(string key, CallOutcome<Api.V1.CheckResponse> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == CallStatus.Succeeded)
        {
            return new HandleObservation(key, outcome.Status, StatusCode.OK, [.. outcome.Reply.Addresses.Select(a => a.Address.Split('/')[0])], "");
        }

        var held = outcome.Code == StatusCode.FailedPrecondition && HeldList().Match(outcome.Detail) is { Success: true } match
            ? match.Groups[1].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split('/')[0]).ToList()
            : [];
        return new HandleObservation(key, outcome.Status, outcome.Code, held, outcome.Detail);
    }

    /// <summary>The family of an address ("v4" / "v6").</summary>
    public static string FamilyOf(string address) =>
        System.Net.IPAddress.Parse(address.Split('/')[0]).AddressFamily == AddressFamily.InterNetwork ? "v4" : "v6";

    [GeneratedRegex(@"holds \[(.*?)\]")]
    private static partial Regex HeldList();
}
