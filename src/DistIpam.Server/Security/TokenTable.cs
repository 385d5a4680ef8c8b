using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DistIpam.Server.Validation;

namespace DistIpam.Server.Security;

/// <summary>
/// The bearer tokens of <see cref="AuthOptions.TokensFile"/>: each line <c>token role name</c>.
/// Tokens are kept as SHA-256 digests only, so a lookup never compares secrets byte by byte and a
/// dump of the process holds no token; messages about the file never repeat a token.
/// </summary>
public sealed class TokenTable
{
    /// <summary>The shortest token accepted: 16 characters (a guessable token is no identity).</summary>
    public const int MinTokenLength = 16;

    private readonly Dictionary<string, CallerIdentity> _byDigest;

    private TokenTable(Dictionary<string, CallerIdentity> byDigest) => _byDigest = byDigest;

    /// <summary>How many tokens the file holds.</summary>
    public int Count => _byDigest.Count;

    /// <summary>Reads <paramref name="path"/>; a malformed line throws naming its number (never its token).</summary>
    public static TokenTable Load(string path)
    {
        var table = new Dictionary<string, CallerIdentity>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var where = $"{path} line {number.ToString(CultureInfo.InvariantCulture)}";
            if (parts.Length != 3)
            {
                throw new FormatException($"{where}: expected 'token role name'");
            }

            if (parts[0].Length < MinTokenLength)
            {
                throw new FormatException($"{where}: the token is shorter than {MinTokenLength} characters");
            }

            var role = parts[1].ToLowerInvariant() switch
            {
                "node" => CallerRole.Node,
                "admin" => CallerRole.Admin,
                "reader" => CallerRole.Reader,
                _ => throw new FormatException($"{where}: role must be node, admin or reader"),
            };
            if (role == CallerRole.Node)
            {
                try
                {
                    RequestValidator.Node("node name", parts[2]);
                }
                catch (Errors.RequestValidationException e)
                {
                    throw new FormatException($"{where}: {e.Message}", e);
                }
            }

            if (!table.TryAdd(Digest(parts[0]), new CallerIdentity(parts[2], role, "token")))
            {
                throw new FormatException($"{where}: the token is listed twice");
            }
        }

        return new TokenTable(table);
    }

    /// <summary>The identity of <paramref name="token"/>, or null.</summary>
    public CallerIdentity? Find(string token) =>
        _byDigest.TryGetValue(Digest(token), out var identity) ? identity : null;

    private static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
