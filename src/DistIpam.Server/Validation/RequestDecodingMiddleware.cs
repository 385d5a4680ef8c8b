using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using DistIpam.Core.Addressing;
using DistIpam.Server.Hosting;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Validation;

/// <summary>
/// Decodes the request message of every unary and server-streaming gRPC call before the gRPC
/// handler does. Grpc.AspNetCore deserializes outside the interceptors and answers an
/// undecodable body (garbage, a truncated message, a string that is not UTF-8) with UNKNOWN
/// "Exception was thrown by handler."; the API promises INVALID_ARGUMENT for bad input
/// (docs/security.md, "One strict parser, and limits"), so such a body is answered here.
/// </summary>
public sealed partial class RequestDecodingMiddleware(RequestDelegate next, IOptions<DistIpamOptions> options, ILogger<RequestDecodingMiddleware> logger)
{
    private const int FrameHeaderLength = 5;
    private static readonly ConcurrentDictionary<Type, MessageParser?> Parsers = new();

    /// <summary>Checks the body of a gRPC call, then passes the call on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null || method.Type is not (MethodType.Unary or MethodType.ServerStreaming) || ParserOf(method) is not { } parser)
        {
            await next(context);
            return;
        }

        var limit = options.Value.MaxRequestBytes + FrameHeaderLength;
        using var buffer = new MemoryStream();
        var read = 0L;
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            read += n;
            if (read > limit)
            {
                await RefuseAsync(context, StatusCode.ResourceExhausted, $"the request is larger than {options.Value.MaxRequestBytes} bytes", method.FullName);
                return;
            }

            buffer.Write(chunk, 0, n);
        }

        var body = buffer.ToArray();
        if (Problem(body, parser) is { } problem)
        {
            await RefuseAsync(context, StatusCode.InvalidArgument, $"the request is not a valid {parser.GetType().GetGenericArguments().FirstOrDefault()?.Name ?? "message"}: {problem}", method.FullName);
            return;
        }

        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context);
    }

    // One length-prefixed, uncompressed message, exactly (docs/security.md); compressed bodies are left to gRPC.
    private static string? Problem(byte[] body, MessageParser parser)
    {
        if (body.Length < FrameHeaderLength)
        {
            return "the gRPC frame is truncated";
        }

        if (body[0] != 0)
        {
            return body[0] == 1 ? null : "the gRPC frame has an invalid compression flag";
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length != body.Length - FrameHeaderLength)
        {
            return $"the gRPC frame says {length} bytes but carries {body.Length - FrameHeaderLength}";
        }

        try
        {
            parser.ParseFrom(body, FrameHeaderLength, body.Length - FrameHeaderLength);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return InputEcho.Quote(e.Message);
        }
    }

    private static MessageParser? ParserOf(IMethod method)
    {
        var type = method.GetType();
        return Parsers.GetOrAdd(type, static t =>
            t.IsGenericType && t.GetGenericArguments()[0].GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageParser parser ? parser : null);
    }

    private async Task RefuseAsync(HttpContext context, StatusCode status, string message, string method)
    {
        LogUndecodable(method, status, message);
        // A trailers-only gRPC response: the status travels in the headers of an empty response.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        await context.Response.CompleteAsync();
    }

    [LoggerMessage(EventId = 9120, Level = LogLevel.Warning, Message = "Refused {Method}: {Status} {Reason}")]
    private partial void LogUndecodable(string method, StatusCode status, string reason);
}
