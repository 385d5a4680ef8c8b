using DistIpam.Server.Errors;
using DistIpam.Grains.Handles;
using DistIpam.Server.Fencing;
using DistIpam.Server.Reconciliation;
using DistIpam.Server.Hosting;
using DistIpam.Server.Metrics;
using DistIpam.Server.Security;
using DistIpam.Server.Nodes;
using DistIpam.Server.History;
using DistIpam.Server.Gc;
using DistIpam.Server.Services;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json ships next to the binary; the data directory stays relative to the working directory.
    ContentRootPath = AppContext.BaseDirectory,
});

var options = builder.Configuration.GetSection(DistIpamOptions.Section).Get<DistIpamOptions>() ?? new DistIpamOptions();
if (ListenerSecurity.Refusal(options) is { } insecure)
{
    await Console.Error.WriteLineAsync($"distipam-server: {insecure}");
    return 2;
}

TlsCertificates? certificates;
IdentityResolver identities;
try
{
    certificates = options.Tls.Enabled ? new TlsCertificates(options.Tls, SecurityLog.ReloadFailed) : null;
    identities = new IdentityResolver(options.Auth, SecurityLog.ReloadFailed);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or System.Security.Cryptography.CryptographicException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"distipam-server: cannot read the TLS or auth files: {e.Message}");
    return 2;
}

DataDirectoryLock dataLock;
try
{
    dataLock = DataDirectoryLock.Acquire(options.DataDir);
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync($"distipam-server: {e.Message}");
    return 2;
}

using var heldLock = dataLock;
builder.Services.Configure<DistIpamOptions>(builder.Configuration.GetSection(DistIpamOptions.Section));

builder.WebHost.ConfigureKestrel(kestrel => KestrelEndpoints.Configure(kestrel, options, certificates));
builder.UseOrleans(silo =>
{
    SiloConfiguration.Configure(silo, options, dataLock.Directory, builder.Configuration);
    HistoryStorage.Configure(silo, options, dataLock.Directory);
});

builder.Services.AddSingleton(identities);
builder.Services.AddSingleton<StreamLimiter>();
builder.Services.AddSingleton<ReadinessState>();
builder.Services.AddSingleton<IpamMetrics>();
builder.Services.AddSingleton<PoolDirectory>();
builder.Services.AddSingleton<AllocationPlanner>();
builder.Services.AddSingleton<ConsistencyChecker>();
builder.Services.AddSingleton<DistIpam.Server.Reconciliation.StoredHandleIds>();
builder.Services.AddSingleton<ServiceValueChecker>();
builder.Services.AddSingleton<DistIpam.Server.Gc.CniGarbageCollector>();
builder.Services.AddSingleton<DistIpam.Server.Gc.ServiceValueGc>();
builder.Services.AddSingleton<DistIpam.Server.Gc.CniAbsenceGc>();
builder.Services.AddSingleton(builder.Configuration.GetSection(NodeLeaseOptions.Section).Get<NodeLeaseOptions>() ?? new NodeLeaseOptions());
builder.Services.AddSingleton<NodeDirectory>();
builder.Services.AddSingleton(builder.Configuration.GetSection(HistoryOptions.Section).Get<HistoryOptions>() ?? new HistoryOptions());
builder.Services.AddSingleton<HistoryWriter>();
builder.Services.AddHostedService(services => services.GetRequiredService<HistoryWriter>());
builder.Services.AddSingleton<HistoryRecorder>();
builder.Services.AddSingleton<AddressLocator>();
builder.Services.AddSingleton(builder.Configuration.GetSection(GcOptions.Section).Get<GcOptions>() ?? new GcOptions());
builder.Services.AddSingleton<ScanningSilo>();
builder.Services.AddSingleton<GcPass>();
builder.Services.AddSingleton<GcController>();
builder.Services.AddHostedService(services => services.GetRequiredService<GcController>());
builder.Services.AddSingleton(builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions());
builder.Services.AddSingleton<PoolSampler>();
builder.Services.AddHostedService(services => services.GetRequiredService<PoolSampler>());
builder.Services.AddSingleton<PoolMetrics>();
builder.Services.AddSingleton<RpcMetricsInterceptor>();
builder.Services.AddSingleton<NodeDrainer>();
builder.Services.AddSingleton(builder.Configuration.GetSection(ReconcileOptions.Section).Get<ReconcileOptions>() ?? new ReconcileOptions());
builder.Services.AddSingleton<DeferredReleaseRetrier>();
builder.Services.AddSingleton<IDeferredReleases>(services => services.GetRequiredService<DeferredReleaseRetrier>());
builder.Services.AddHostedService(services => services.GetRequiredService<DeferredReleaseRetrier>());
builder.Services.AddHostedService<Reconciler>();
builder.Services.AddHostedService<PoolBootstrapService>();
builder.Services.Configure<ServiceWatchOptions>(builder.Configuration.GetSection(ServiceWatchOptions.Section));
builder.Services.AddSingleton<ServiceEventHub>();
builder.Services.AddHostedService(services => services.GetRequiredService<ServiceEventHub>());
var fenceOptions = builder.Configuration.GetSection(SiloFenceOptions.Section).Get<SiloFenceOptions>() ?? new SiloFenceOptions();
builder.Services.AddSingleton(fenceOptions);
builder.Services.AddSingleton<SiloFence>();
builder.Services.AddHostedService<SiloFenceService>();

// Authorization runs first (an unauthenticated caller learns nothing, not even the fence state),
// then the fence: a call the silo must not serve is refused before anything else runs.
builder.Services.AddGrpc(o =>
{
    o.MaxReceiveMessageSize = options.MaxRequestBytes;
    o.Interceptors.Add<DistIpam.Server.Validation.StatusMessageLimitInterceptor>();
    o.Interceptors.Add<AuthorizationInterceptor>();
    o.Interceptors.Add<FenceInterceptor>();
    o.Interceptors.Add<DistIpam.Server.Validation.RequestDeadlineInterceptor>();
    o.Interceptors.Add<RpcMetricsInterceptor>();
    o.Interceptors.Add<ErrorMappingInterceptor>();
});
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(IpamMetrics.MeterName, "Microsoft.Orleans", "DistIpam.Storage.Sqlite", ServiceEventHub.MeterName)
    .AddPrometheusExporter());
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();
app.UseMiddleware<DistIpam.Server.Validation.RequestDecodingMiddleware>();
app.MapGrpcService<IpamService>();
app.MapGrpcService<PoolsService>();
app.MapGrpcService<ServicesService>();
app.MapGrpcService<NodesService>();
app.MapGrpcService<ServerInfoService>();
app.MapGrpcService<AddressesService>();
app.MapGrpcService<GarbageCollectionService>();
app.MapGrpcService<CapacityService>();
// The gauges observe the sampler; create them before the first scrape.
app.Services.GetRequiredService<PoolMetrics>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
app.MapGet("/healthz", () => Results.Text("ok\n"));
app.MapGet("/readyz", (ReadinessState readiness) => readiness.IsReady
    ? Results.Text("ready\n")
    : Results.Text($"not ready: {readiness.NotReadyReason}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
app.MapPrometheusScrapingEndpoint("/metrics");
DistIpam.Server.Ui.UiEndpoints.Map(app);
app.Lifetime.ApplicationStarted.Register(() => KestrelEndpoints.ApplySocketMode(app.Services.GetRequiredService<IOptions<DistIpamOptions>>().Value));
SecurityLog.Attach(app.Services.GetRequiredService<ILoggerFactory>());
SecurityLog.Started(options);

try
{
    await app.RunAsync();
}
catch (InvalidOperationException e) when (Environment.ExitCode != 0)
{
    // A start-up refusal (e.g. a bootstrap pool that contradicts stored state) set the exit code
    // and logged why; exit with that code and one line instead of an unhandled-exception abort.
    await Console.Error.WriteLineAsync($"distipam-server: {e.Message}");
}

return Environment.ExitCode;
