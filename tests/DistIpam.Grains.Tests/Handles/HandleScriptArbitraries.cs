using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>
/// Runs of up to 40 steps, ADD twice as likely as DEL, so pools fill up (blocks are claimed,
/// filled, borrowed from) and drain again (blocks empty out) within one run.
/// </summary>
public static class HandleScriptArbitraries
{
    public static Arbitrary<HandleScript> Scripts()
    {
        var step =
            from handle in Gen.Choose(0, HandleScript.Handles - 1)
            from node in Gen.Choose(0, HandleScript.Nodes - 1)
            from release in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new HandleStep(handle, node, release);
        return (from length in Gen.Choose(1, 40)
                from steps in Gen.ArrayOf(step, length)
                select new HandleScript(steps)).ToArbitrary();
    }
}
