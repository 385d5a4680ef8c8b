using System.Globalization;
using System.Runtime.InteropServices;

namespace DistIpam.Server.Security;

/// <summary>
/// chown(2) of the Unix socket: its owner, group and mode are the socket's only authentication,
/// so a group such as the CNI plugin's can be given access without opening it to everyone.
/// </summary>
public static partial class UnixSocketOwnership
{
    /// <summary>Sets the owner and/or group (names or numeric ids); null leaves one as it is.</summary>
    public static void Apply(string path, string? owner, string? group)
    {
        if (string.IsNullOrWhiteSpace(owner) && string.IsNullOrWhiteSpace(group))
        {
            return;
        }

        var uid = string.IsNullOrWhiteSpace(owner) ? -1 : Resolve("/etc/passwd", owner, "DistIpam:UnixSocketOwner");
        var gid = string.IsNullOrWhiteSpace(group) ? -1 : Resolve("/etc/group", group, "DistIpam:UnixSocketGroup");
        if (Chown(path, uid, gid) != 0)
        {
            throw new InvalidOperationException(
                $"chown of {path} to {owner ?? "-"}:{group ?? "-"} failed with errno {Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture)}");
        }
    }

    // A numeric id, or the third field of the name's line in /etc/passwd or /etc/group.
    private static int Resolve(string database, string name, string option)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        foreach (var line in File.Exists(database) ? File.ReadLines(database) : [])
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == name && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                return id;
            }
        }

        throw new InvalidOperationException($"{option} '{name}' is neither a number nor listed in {database}");
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);
}
