using Google.Protobuf;
using Grpc.Core;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>
/// One hostile RPC: every case carries at least one field the proto or docs refuse, so the only
/// acceptable answers are the refusals in <see cref="Allowed"/>; a success would be input silently
/// reinterpreted (and a change of state).
/// </summary>
/// <param name="Method">The RPC, for the report.</param>
/// <param name="Request">The request, for the report.</param>
/// <param name="Call">Sends it.</param>
/// <param name="Allowed">The statuses docs/security.md allows for it.</param>
public sealed record GrpcFuzzCase(string Method, IMessage Request, Func<GrpcClients, CallOptions, Task> Call, StatusCode[] Allowed)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = Request.ToString() ?? "";
        return $"{Method} {(text.Length > 400 ? text[..400] + $"…({text.Length} chars)" : text)}";
    }
}
