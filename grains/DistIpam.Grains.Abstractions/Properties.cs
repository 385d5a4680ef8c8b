using DistIpam.Core.Errors;

// Core has no Orleans (it is shared with the AOT CNI plugin), so the Orleans code generator is
// pointed at it from here to produce codecs for the Core enums that cross grain calls.
[assembly: GenerateCodeForDeclaringAssembly(typeof(IpamErrorKind))]
