using DistIpam.Agent;
using DistIpam.Agent.Forwarding;
using DistIpam.Agent.Liveness;
using DistIpam.Agent.Reserve;
using DistIpam.Agent.Socket;
using DistIpam.Client;
using Microsoft.Extensions.Options;

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
builder.Services.AddSingleton<IpamForwarder>();
builder.Services.AddSingleton<ReserveBook>();
builder.Services.AddSingleton<Journal>();
builder.Services.AddSingleton<WarmReserve>();
builder.Services.AddSingleton<IAgentLocalService>(provider => provider.GetRequiredService<WarmReserve>());
builder.Services.AddHostedService<ReserveWorker>();
builder.Services.AddSingleton<AgentDispatcher>();
builder.Services.AddHostedService<AgentSocketServer>();
builder.Services.AddHostedService<HeartbeatService>();
await builder.Build().RunAsync().ConfigureAwait(false);
