using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistIpam.Server.Security;

/// <summary>
/// Whether a peer's certificate was issued by one of the configured CAs: those CAs only, never the
/// system store (a public CA must not mint DistIpam identities), at the current time, no revocation.
/// </summary>
public static class CertificateTrust
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authorities"/> and, if it names usages, allows <paramref name="usage"/>.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2Collection authorities, Oid? usage = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authorities);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (usage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }

        return chain.Build(certificate);
    }
}
