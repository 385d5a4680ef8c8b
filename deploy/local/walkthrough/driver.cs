#:project ../../../src/DistIpam.Client/DistIpam.Client.csproj
#:project ../../../src/DistIpam.Api/DistIpam.Api.csproj
// The cluster activity behind docs/operations.md's walkthroughs (walkthrough.sh runs it): nodes
// that heartbeat, pods that come and go, services. Not a tool for production.
using DistIpam.Api.V1;
using DistIpam.Client;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: driver.cs ENDPOINT setup | heartbeat NODE... | services | fill POOL NODE COUNT | borrow POOL");
    return 2;
}

using var client = new DistIpamClient(args[0]);
switch (args[1])
{
    case "setup":
        // node-1: 4 dual-stack pods, node-2: 3, node-3: 5 (node-3 then dies).
        var pod = 0;
        foreach (var (node, count) in new[] { ("node-1", 4), ("node-2", 3), ("node-3", 5) })
        {
            await Heartbeat(node);
            for (var i = 0; i < count; i++, pod++)
            {
                await client.Ipam.AllocateAsync(new AllocateRequest
                {
                    Handle = new Handle { Network = "podnet", ContainerId = $"c{pod:000}", Interface = "eth0" },
                    Node = node,
                    Pod = new PodAttributes { Namespace = "shop", Name = $"web-{pod}", Uid = $"uid-{pod}" },
                });
            }
        }

        return 0;
    case "fill":
        // Idempotent per handle: filling to a larger count adds only the missing pods.
        for (var i = 0; i < int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            var request = new AllocateRequest
            {
                Handle = new Handle { Network = "podnet", ContainerId = $"{args[2]}-{args[3]}-{i:000}", Interface = "eth0" },
                Node = args[3],
                Pod = new PodAttributes { Namespace = "batch", Name = $"job-{i}", Uid = $"job-uid-{i}" },
            };
            request.Pools.Add(args[2]);
            await client.Ipam.AllocateAsync(request);
        }

        return 0;
    case "heartbeat":
        while (true)
        {
            foreach (var node in args[2..])
            {
                try
                {
                    await Heartbeat(node);
                }
                catch (Grpc.Core.RpcException)
                {
                    // The server restarts during the walkthrough; the next beat reaches it.
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

    case "borrow":
        // A one-block pool: the second node has no block of its own to claim and borrows.
        foreach (var (node, name) in new[] { ("node-1", "edge-a"), ("node-2", "edge-b") })
        {
            var request = new AllocateRequest
            {
                Handle = new Handle { Network = "podnet", ContainerId = name, Interface = "eth0" },
                Node = node,
                Pod = new PodAttributes { Namespace = "edge", Name = name, Uid = $"uid-{name}" },
            };
            request.Pools.Add(args[2]);
            await client.Ipam.AllocateAsync(request);
        }

        return 0;
    case "services":
        foreach (var name in new[] { "cart", "old-cart" })
        {
            var service = new Service { Namespace = "shop", Name = name, Type = ServiceType.NodePort };
            service.Ports.Add(new ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
            await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = service });
        }

        return 0;
    default:
        Console.Error.WriteLine($"unknown step {args[1]}");
        return 2;
}

async Task Heartbeat(string node)
{
    var request = new HeartbeatRequest { Node = node, AgentVersion = "distipam-agent 0.1.0" };
    request.Addresses.Add($"192.0.2.1{node[^1]}");
    await client.Nodes.HeartbeatAsync(request);
}
