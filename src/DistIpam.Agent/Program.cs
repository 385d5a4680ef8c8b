using DistIpam.Agent;
using DistIpam.Agent.Forwarding;
using DistIpam.Agent.Liveness;
using DistIpam.Agent.Metrics;
using DistIpam.Agent.Reserve;
using DistIpam.Agent.Socket;
using DistIpam.Client;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

var builder = Host.CreateApplicationBuilder(args);
// Settings: <content root>/agent.json, then DISTIPAM_* variables, then the command line (docs/agent.md).
builder.Configuration.AddJsonFile(Path.Combine(builder.Environment.ContentRootPath, "agent.json"), optional: true, reloadOnChange: false);
builder.Configuration.AddEnvironmentVariables("DISTIPAM_");
builder.Configuration.AddCommandLine(args);
builder.Services.Configure<AgentOptions>(builder.Configuration.GetSection("Agent"));
builder.Services.AddSingleton(provider =>
{
    var options = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
    return new DistIpamClient(new DistIpamClientOptions
    {
        Endpoints = options.Endpoints,
        Timeout = options.ServerTimeout,
        AttemptTimeout = options.ServerTimeout / 2,
        CaFile = options.CaFile,
        ClientCertificateFile = options.ClientCertificateFile,
        ClientKeyFile = options.ClientKeyFile,
        TokenFile = options.TokenFile,
    });
});
builder.Services.AddSingleton<AgentIdentity>();
builder.Services.AddSingleton<AgentMetrics>();
var metricsPort = builder.Configuration.GetValue<int>("Agent:MetricsPort");
if (metricsPort > 0)
{
    // Off unless a port is given; loopback unless MetricsAddress says otherwise (docs/agent.md, Metrics).
    var address = builder.Configuration.GetValue<string>("Agent:MetricsAddress") ?? "127.0.0.1";
    var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
    builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddMeter(AgentMetrics.MeterName)
        .AddPrometheusHttpListener(o =>
        {
            o.Host = host;
            o.Port = metricsPort;
            // Every scrape sees the reserve as it is now, not as a cached answer of up to 300 ms ago.
            o.ScrapeResponseCacheDurationMilliseconds = 0;
        }));
}

builder.Services.AddSingleton<IpamForwarder>();
builder.Services.AddSingleton<ReserveBook>();
builder.Services.AddSingleton<Journal>();
builder.Services.AddSingleton<DrainGuard>();
builder.Services.AddSingleton<WarmReserve>();
builder.Services.AddSingleton<IAgentLocalService>(provider => provider.GetRequiredService<WarmReserve>());
builder.Services.AddHostedService<ReserveWorker>();
builder.Services.AddSingleton<AgentDispatcher>();
builder.Services.AddHostedService<AgentSocketServer>();
builder.Services.AddHostedService<HeartbeatService>();
await builder.Build().RunAsync().ConfigureAwait(false);
