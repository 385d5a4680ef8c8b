namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>Whether an Allocate asks for specific addresses, and which.</summary>
internal enum AddressChoice
{
    /// <summary>No requested address: the server picks.</summary>
    Any,

    /// <summary>A specific address no other handle of the schedule was given (it may claim or borrow a block).</summary>
    Fresh,

    /// <summary>An address another handle of the schedule holds: must be refused with ALREADY_EXISTS.</summary>
    Taken,

    /// <summary>An address inside a reserved range: must be refused.</summary>
    Reserved,
}
