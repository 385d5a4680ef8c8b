using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>
/// One attachment (key <see cref="HandleKey"/>): the unit of idempotency for CNI ADD and DEL, and
/// the one place that decides whether an address found in a block for this handle is still its own
/// (docs/architecture.md, "Fencing").
/// </summary>
public interface IHandleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Allocates one address per pool, all or nothing: if one pool fails, the addresses already
    /// taken are released before the error returns (or, when that cannot be done now, left for the
    /// server's reconciler, which releases them through <see cref="ReleaseUnrecordedAsync"/>).
    /// Idempotent: a handle that already holds addresses from the same pools gets them back
    /// unchanged; asking for different pools or addresses than held fails with
    /// <c>FailedPrecondition</c> naming what is held. Answers only after the handle's record is
    /// durable. Nothing starts when <paramref name="cancellationToken"/> is already cancelled.
    /// </summary>
    Task<HandleRecord> AllocateAsync(HandleAllocationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases every address of the handle (by sequence number) and forgets it. Idempotent: an
    /// unknown handle succeeds with nothing released. With <paramref name="node"/> given and no
    /// record, the node's blocks are swept for addresses of this handle (an ADD whose record was
    /// never written), after a fenced write of the handle's state.
    /// </summary>
    Task<IReadOnlyList<AddressLease>> ReleaseAsync(string? node, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases those of <paramref name="candidates"/> (allocations found in blocks under this
    /// handle) that the handle's durable record does not hold (nor an unfinished move into it, see
    /// <see cref="MoveFromAsync"/>), by sequence, after a fenced write of
    /// the handle's state (so an activation that read the state before it can no longer record
    /// them). Returns what was released. Serialized with ADD and DEL of this handle, so an ADD about
    /// to record an address keeps it.
    /// </summary>
    Task<IReadOnlyList<AddressLease>> ReleaseUnrecordedAsync(IReadOnlyList<AddressLease> candidates);

    /// <summary>
    /// Takes over every address <see cref="HandleMoveRequest.FromHandle"/> holds, without freeing
    /// them in between: each block moves its lease to this handle in one write (new sequence
    /// numbers), and the source forgets them. The move is written as pending before any block moves
    /// an address, so the reconciler never frees a moved address this handle has not recorded yet; a
    /// repeat finishes an interrupted move, and a DEL of this handle frees what already moved.
    /// Idempotent: a handle that already holds exactly the expected addresses returns its record.
    /// <c>NotFound</c> when the source holds nothing; <c>FailedPrecondition</c> (nothing moved) when
    /// the source holds other addresses than expected or is on another node, or this handle holds
    /// other addresses. Answers only after this handle's record is durable and the source forgot the
    /// moved addresses (a failure there is repeated by repeating the move).
    /// </summary>
    Task<HandleRecord> MoveFromAsync(HandleMoveRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops from this handle's record the leases that <paramref name="moved"/> (another handle's
    /// leases, of the same addresses under newer sequence numbers) took over; frees nothing, since
    /// the addresses are the other handle's now. Idempotent.
    /// </summary>
    Task ForgetMovedAsync(IReadOnlyList<AddressLease> moved);

    /// <summary>
    /// Releases the handle (as <see cref="ReleaseAsync"/>) only if its record still names an address
    /// its block does not hold for it under that sequence (a stale record): the check and the release
    /// run in one turn of this handle, so a DEL and a new ADD in between are never undone. Null when
    /// the record is not stale (nothing changed). For the consistency repair and the GC.
    /// </summary>
    Task<IReadOnlyList<AddressLease>?> ReleaseIfStaleAsync();

    /// <summary>
    /// Releases the handle (as <see cref="ReleaseAsync"/>) only if its record holds exactly
    /// <paramref name="expected"/> (pool, block, address and sequence), checked in the same turn as
    /// the release. Null when it does not (nothing changed): released since, or a new attempt.
    /// </summary>
    Task<IReadOnlyList<AddressLease>?> ReleaseIfHoldsAsync(IReadOnlyList<AddressLease> expected);

    /// <summary>The record, or null if the handle holds nothing.</summary>
    Task<HandleRecord?> GetAsync();
}
