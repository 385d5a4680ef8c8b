using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Pools;

namespace DistIpam.Core.Tests.Pools;

public sealed class PoolValidatorTests
{
    private static readonly PoolSpec PodsV4 = new()
    {
        Name = "pods-v4",
        Cidr = IpPrefix.Parse("10.244.0.0/16"),
        BlockPrefixLength = 26,
        ReservedRanges = [IpRange.Parse("10.244.0.1-10.244.0.9")],
    };

    private static readonly PoolSpec PodsV6 = new()
    {
        Name = "pods-v6",
        Cidr = IpPrefix.Parse("fd00:10:244::/56"),
        BlockPrefixLength = 122,
        ReservedRanges = [IpRange.Parse("fd00:10:244::/120")],
        Wiring = PoolWiring.Routed,
    };

    [Fact]
    public void Validate_TypicalDualStackPools_Accepted()
    {
        PoolValidator.Validate(PodsV4);
        PoolValidator.Validate(PodsV6);
        PoolValidator.ValidateAgainst(PodsV6, [PodsV4]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Pods")]
    [InlineData("pods_v4")]
    [InlineData("pods.v4")]
    [InlineData("-pods")]
    [InlineData("pods-")]
    [InlineData("pods v4")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void Validate_BadName_NamesFieldAndValue(string name)
    {
        var error = AssertInvalid(PodsV4 with { Name = name }, "name", name);

        Assert.Contains("lowercase letters, digits or '-'", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("pods-v4-2")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012")]
    public void Validate_Dns1123LabelName_Accepted(string name)
    {
        PoolValidator.Validate(PodsV4 with { Name = name });
    }

    [Fact]
    public void Validate_NullName_RejectedAsEmpty()
    {
        AssertInvalid(PodsV4 with { Name = null! }, "name", "");
    }

    [Fact]
    public void Validate_CidrNotSet_NamesCidr()
    {
        var error = AssertInvalid(PodsV4 with { Cidr = default, ReservedRanges = [] }, "cidr", "");

        Assert.Contains("must be set", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/31")]
    [InlineData("10.0.0.1/32")]
    [InlineData("fd00::/127")]
    [InlineData("fd00::1/128")]
    public void Validate_PoolTooSmallForAnyAllocation_NamesCidr(string cidr)
    {
        var prefix = IpPrefix.Parse(cidr);
        var spec = PodsV4 with { Cidr = prefix, BlockPrefixLength = prefix.AddressBits, ReservedRanges = [] };

        var error = AssertInvalid(spec, "cidr", cidr);

        Assert.Contains(prefix.Family == IpFamily.V4 ? "/31 and /32" : "/127 and /128", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/30", 30)]
    [InlineData("10.0.0.0/30", 32)]
    [InlineData("10.0.0.0/12", 20)]
    [InlineData("fd00::/126", 128)]
    [InlineData("fd00::/116", 116)]
    public void Validate_SmallestPoolsAndBlockLimits_Accepted(string cidr, int blockPrefixLength)
    {
        PoolValidator.Validate(PodsV4 with { Cidr = IpPrefix.Parse(cidr), BlockPrefixLength = blockPrefixLength, ReservedRanges = [] });
    }

    [Theory]
    [InlineData("10.0.0.0/8", 19, "must be between 20 and 32 for an IPv4 pool")]
    [InlineData("10.0.0.0/8", 33, "must be between 20 and 32 for an IPv4 pool")]
    [InlineData("10.0.0.0/8", -1, "must be between 20 and 32 for an IPv4 pool")]
    [InlineData("fd00::/48", 115, "must be between 116 and 128 for an IPv6 pool")]
    [InlineData("fd00::/48", 129, "must be between 116 and 128 for an IPv6 pool")]
    [InlineData("fd00::/48", 26, "must be between 116 and 128 for an IPv6 pool")]
    [InlineData("10.0.0.0/24", 22, "a block must fit inside the pool 10.0.0.0/24: use /24 or longer")]
    [InlineData("fd00::/120", 118, "a block must fit inside the pool fd00::/120: use /120 or longer")]
    public void Validate_BadBlockPrefixLength_NamesFieldAndValue(string cidr, int blockPrefixLength, string reason)
    {
        var spec = PodsV4 with { Cidr = IpPrefix.Parse(cidr), BlockPrefixLength = blockPrefixLength, ReservedRanges = [] };

        var error = AssertInvalid(spec, "blockPrefixLength", blockPrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Validate_ReservedRangeOfOtherFamily_NamesRangeAndPoolFamily()
    {
        var spec = PodsV4 with { ReservedRanges = [IpRange.Parse("10.244.0.1"), IpRange.Parse("fd00::1-fd00::9")] };

        var error = AssertInvalid(spec, "reservedRanges", "fd00::1-fd00::9");

        Assert.Contains("IPv4, 10.244.0.0/16", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.245.0.1-10.245.0.9")]
    [InlineData("10.243.255.250-10.244.0.5")]
    [InlineData("10.244.255.250-10.245.0.0")]
    [InlineData("10.0.0.0/8")]
    public void Validate_ReservedRangeNotInsidePool_NamesRangeAndCidr(string reserved)
    {
        var range = IpRange.Parse(reserved);
        var spec = PodsV4 with { ReservedRanges = [range] };

        var error = AssertInvalid(spec, "reservedRanges", range.ToString());

        Assert.Contains("outside the pool's CIDR 10.244.0.0/16", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReservedRangeIsWholePoolUpToLastAddress_Accepted()
    {
        PoolValidator.Validate(PodsV4 with { ReservedRanges = [IpRange.Parse("10.244.0.0-10.244.255.255")] });
    }

    [Fact]
    public void Validate_NegativeMaxBlocksPerNode_NamesFieldAndValue()
    {
        var error = AssertInvalid(PodsV4 with { MaxBlocksPerNode = -1 }, "maxBlocksPerNode", "-1");

        Assert.Contains("0 (unlimited)", error.Reason, StringComparison.Ordinal);
        PoolValidator.Validate(PodsV4 with { MaxBlocksPerNode = 0 });
    }

    [Fact]
    public void Validate_UndefinedKindOrWiring_NamesFieldAndValue()
    {
        AssertInvalid(PodsV4 with { Kind = (PoolKind)7 }, "kind", "7");
        AssertInvalid(PodsV4 with { Wiring = default }, "wiring", "0");
    }

    [Fact]
    public void ValidateAgainst_OverlappingPoolOfSameFamily_NamesBothPoolsAndCidrs()
    {
        var candidate = PodsV4 with { Name = "more-pods", Cidr = IpPrefix.Parse("10.244.128.0/17"), ReservedRanges = [] };

        var error = Assert.Throws<InvalidPoolException>(() => PoolValidator.ValidateAgainst(candidate, [PodsV6, PodsV4]));

        Assert.Equal("more-pods", error.Pool);
        Assert.Equal("cidr", error.Field);
        Assert.Equal("10.244.128.0/17", error.Value);
        Assert.Equal(
            "pool 'more-pods': invalid cidr '10.244.128.0/17': overlaps pool 'pods-v4' (10.244.0.0/16); pools of one family must not share addresses",
            error.Message);
    }

    [Fact]
    public void ValidateAgainst_OverlapWithServicePoolOrDisabledPool_Rejected()
    {
        var services = new PoolSpec
        {
            Name = "services-v4",
            Cidr = IpPrefix.Parse("10.96.0.0/12"),
            BlockPrefixLength = 26,
            Kind = PoolKind.Service,
            Disabled = true,
        };
        var candidate = PodsV4 with { Cidr = IpPrefix.Parse("10.100.0.0/16"), ReservedRanges = [] };

        var error = Assert.Throws<InvalidPoolException>(() => PoolValidator.ValidateAgainst(candidate, [services]));

        Assert.Contains("'services-v4' (10.96.0.0/12)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAgainst_ExistingPoolWithSameName_SkippedAsSelfUpdate()
    {
        var widened = PodsV4 with { Cidr = IpPrefix.Parse("10.244.0.0/15") };

        PoolValidator.ValidateAgainst(widened, [PodsV4, PodsV6]);
    }

    [Fact]
    public void ValidateAgainst_AdjacentOrOtherFamilyPools_Accepted()
    {
        var below = PodsV4 with { Name = "below", Cidr = IpPrefix.Parse("10.243.0.0/16"), ReservedRanges = [] };
        var above = PodsV4 with { Name = "above", Cidr = IpPrefix.Parse("10.245.0.0/16"), ReservedRanges = [] };
        var everyV6 = PodsV6 with { Name = "every-v6", Cidr = IpPrefix.Parse("::/0"), ReservedRanges = [] };

        PoolValidator.ValidateAgainst(PodsV4, [below, above, everyV6]);
    }

    [Fact]
    public void ValidateAgainst_InvalidCandidate_RejectedBeforeOverlapCheck()
    {
        AssertInvalid(PodsV4 with { MaxBlocksPerNode = -5 }, "maxBlocksPerNode", "-5", existing: [PodsV6]);
    }

    private static InvalidPoolException AssertInvalid(
        PoolSpec spec,
        string field,
        string value,
        IEnumerable<PoolSpec>? existing = null)
    {
        var error = Assert.Throws<InvalidPoolException>(() =>
        {
            if (existing is null)
            {
                PoolValidator.Validate(spec);
            }
            else
            {
                PoolValidator.ValidateAgainst(spec, existing);
            }
        });

        Assert.Equal(spec.Name ?? "", error.Pool);
        Assert.Equal(field, error.Field);
        Assert.Equal(value, error.Value);
        Assert.Contains($"invalid {field} '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
        return error;
    }
}
