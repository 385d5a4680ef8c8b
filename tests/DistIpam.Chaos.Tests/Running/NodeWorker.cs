using System.Net.Sockets;
using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Schedules;
using DistIpam.Chaos.Tests.Services;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>One simulated node: runs its steps in order, as the CNI plugin on that node would, and records every reply in the model.</summary>
internal sealed class NodeWorker(ChaosClient client, AllocationModel model, ServiceOperations services, ScheduleNames names, int index)
{
    /// <summary>The first slot of churn handles (scheduled steps use slots below it).</summary>
    private const int ChurnSlot = 100;

    /// <summary>How many handles churn cycles through.</summary>
    private const int ChurnHandles = 3;

    /// <summary>A slot's handle moves to the handle of this slot plus the slot's (its twin).</summary>
    private const int MovedSlot = 50;

    /// <summary>The node's name.</summary>
    public string Node => names.Node(index);

    /// <summary>Steps run so far.</summary>
    public int Completed { get; private set; }

    /// <summary>Runs <paramref name="steps"/> in order; <paramref name="completed"/> is told after each.</summary>
    public async Task RunAsync(IReadOnlyList<Operation> steps, Action completed)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(completed);
        foreach (var step in steps)
        {
            await RunStepAsync(step);
            Completed++;
            completed();
        }
    }

    /// <summary>
    /// Load while a fault is active, until <paramref name="until"/> completes (at most
    /// <paramref name="maxRounds"/> rounds): three handles in turn are released and allocated
    /// again, so a late Release of a handle's old allocation would meet its new one.
    /// </summary>
    public async Task ChurnAsync(Task until, int maxRounds)
    {
        ArgumentNullException.ThrowIfNull(until);
        for (var round = 0; round < maxRounds && !until.IsCompleted; round++)
        {
            var slot = ChurnSlot + (round % ChurnHandles);
            if (round >= ChurnHandles)
            {
                await ReleaseAsync(slot, Node);
                Completed++;
            }

            await AllocateAsync(slot, FamilyChoice.DualStack, AddressChoice.Any, Node);
            Completed++;
        }
    }

    /// <summary>Allocates one dual-stack handle for <paramref name="node"/> (a claim-burst node: its first block claims).</summary>
    public Task AllocateForAsync(string node) => AllocateAsync(0, FamilyChoice.DualStack, AddressChoice.Any, node);

    private Task RunStepAsync(Operation step) => step.Kind switch
    {
        OperationKind.Allocate => AllocateAsync(step.Slot, step.Families, step.Address, Node),
        OperationKind.RetryAllocate => RetryAsync(step),
        OperationKind.Release => ReleaseAsync(step.Slot, Node),
        OperationKind.ReleaseThenReuse => ReleaseThenReuseAsync(step),
        OperationKind.GarbageCollect => GarbageCollectAsync(step.Slot),
        OperationKind.DrainNode => DrainAsync(),
        OperationKind.MoveHandle => MoveAsync(step.Slot),
        _ => services.RunAsync(step, index),
    };

    private async Task ReleaseThenReuseAsync(Operation step)
    {
        await ReleaseAsync(step.Slot, Node);
        await AllocateAsync(step.Slot, step.Families, step.Address, Node);
    }

    private async Task RetryAsync(Operation step)
    {
        var handle = model.For(ScheduleNames.Handle(Node, step.Slot), Node);
        if (handle.LastRequest is null)
        {
            await AllocateAsync(step.Slot, step.Families, step.Address, Node);
            return;
        }

        var outcome = await client.CallAsync("Allocate", index, (c, o) => new Ipam.IpamClient(c).AllocateAsync(handle.LastRequest, o).ResponseAsync);
        model.Allocated(handle, handle.LastFamilies, outcome);
    }

    private async Task AllocateAsync(int slot, FamilyChoice families, AddressChoice address, string node)
    {
        var handle = model.For(ScheduleNames.Handle(node, slot), node);
        var request = new AllocateRequest { Handle = handle.Handle, Node = node };
        request.Pools.AddRange(families switch
        {
            FamilyChoice.V4 => ["pods-v4"],
            FamilyChoice.V6 => ["pods-v6"],
            _ => [],
        });
        request.RequestedIps.AddRange(Requested(families, address));
        handle.LastRequest = request;
        handle.LastFamilies = families;
        var outcome = await client.CallAsync("Allocate", index, (c, o) => new Ipam.IpamClient(c).AllocateAsync(request, o).ResponseAsync);
        model.Allocated(handle, families, outcome);
    }

    private IEnumerable<string> Requested(FamilyChoice families, AddressChoice address)
    {
        var (v4, v6) = address switch
        {
            AddressChoice.Any => (null, null),
            AddressChoice.Reserved => ScheduleNames.ReservedAddress,
            AddressChoice.Taken => Taken(),
            _ => names.FreshAddresses(),
        };
        if (v4 is null || v6 is null)
        {
            return [];
        }

        return families switch
        {
            FamilyChoice.V4 => [v4],
            FamilyChoice.V6 => [v6],
            _ => [v4, v6],
        };
    }

    private (string V4, string V6) Taken()
    {
        var held = model.HeldAddresses();
        var fresh = names.FreshAddresses();
        var v4 = held.FirstOrDefault(a => System.Net.IPAddress.Parse(a).AddressFamily == AddressFamily.InterNetwork) ?? fresh.V4;
        var v6 = held.FirstOrDefault(a => System.Net.IPAddress.Parse(a).AddressFamily == AddressFamily.InterNetworkV6) ?? fresh.V6;
        return (v4, v6);
    }

    private async Task ReleaseAsync(int slot, string node)
    {
        var handle = model.For(ScheduleNames.Handle(node, slot), node);
        model.ReleaseStarting(handle);
        var outcome = await client.CallAsync("Release", index, (c, o) => new Ipam.IpamClient(c).ReleaseAsync(new ReleaseRequest { Handle = handle.Handle, Node = node }, o).ResponseAsync);
        model.Released(handle, outcome.Status, $"Release -> {(outcome.Status == CallStatus.Succeeded ? "freed " + string.Join(", ", outcome.Reply.Released) : outcome.ToString())}");
    }

    private async Task MoveAsync(int slot)
    {
        var from = model.For(ScheduleNames.Handle(Node, slot), Node);
        var to = model.For(ScheduleNames.Handle(Node, slot + MovedSlot), Node);
        if (model.MoveStarting(from, to) is not { } expected)
        {
            return;
        }

        var request = new MoveHandleRequest { From = from.Handle, To = to.Handle, Node = Node };
        request.ExpectedAddresses.AddRange(expected);
        var outcome = await client.CallAsync("MoveHandle", index, (c, o) => new Ipam.IpamClient(c).MoveHandleAsync(request, o).ResponseAsync);
        model.Moved(from, to, outcome);
    }

    private async Task GarbageCollectAsync(int slot)
    {
        var target = model.For(ScheduleNames.Handle(Node, slot), Node);
        var request = new GarbageCollectRequest { Network = ScheduleNames.Network, Node = Node };
        request.Valid.AddRange(model.HandlesOf(Node).Where(h => h != target).Select(h => h.Handle));
        model.ReleaseStarting(target);
        var outcome = await client.CallAsync("GarbageCollect", index, (c, o) => new Ipam.IpamClient(c).GarbageCollectAsync(request, o).ResponseAsync);
        var status = outcome.Status == CallStatus.Succeeded && outcome.Reply.Errors.Any(e => e.Contains(target.Key, StringComparison.Ordinal))
            ? CallStatus.Unknown
            : outcome.Status;
        model.Released(target, status, $"GarbageCollect -> {(outcome.Status == CallStatus.Succeeded ? $"released {outcome.Reply.Released.Count}, errors [{string.Join("; ", outcome.Reply.Errors)}]" : outcome.ToString())}");
    }

    private async Task DrainAsync()
    {
        var handles = model.HandlesOf(Node);
        foreach (var handle in handles)
        {
            model.ReleaseStarting(handle);
        }

        var outcome = await client.CallAsync("ReleaseNode", index, (c, o) => new Pools.PoolsClient(c).ReleaseNodeAsync(new ReleaseNodeRequest { Node = Node }, o).ResponseAsync);
        foreach (var handle in handles)
        {
            model.Released(handle, outcome.Status, $"ReleaseNode -> {(outcome.Status == CallStatus.Succeeded ? $"{outcome.Reply.AddressesReleased} freed" : outcome.ToString())}");
        }
    }
}
