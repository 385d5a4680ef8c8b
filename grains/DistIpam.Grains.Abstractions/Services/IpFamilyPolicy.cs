namespace DistIpam.Grains.Services;

/// <summary>How many address families a service gets (Kubernetes <c>spec.ipFamilyPolicy</c>).</summary>
public enum IpFamilyPolicy
{
    /// <summary>Not set; treated as <see cref="SingleStack"/>.</summary>
    Unspecified = 0,

    /// <summary>One family (the default).</summary>
    SingleStack = 1,

    /// <summary>Two families when the server has service pools of both, else one.</summary>
    PreferDualStack = 2,

    /// <summary>Two families; refused when the server has service pools of one family only.</summary>
    RequireDualStack = 3,
}
