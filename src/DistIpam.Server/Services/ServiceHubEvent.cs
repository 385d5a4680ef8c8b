using DistIpam.Api.V1;
using DistIpam.Grains.Services;

namespace DistIpam.Server.Services;

/// <summary>A feed event with its wire form, built once and shared by every watcher.</summary>
public sealed record ServiceHubEvent(ServiceEvent Source, WatchEvent Proto);
