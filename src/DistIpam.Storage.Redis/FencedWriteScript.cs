namespace DistIpam.Storage.Redis;

/// <summary>
/// The server-side scripts of <see cref="FencedRedisGrainStorage"/>. Redis runs a script atomically,
/// so the membership check, the ETag check and the write are one step: no write of a silo the
/// cluster has declared dead can land after the declaration, however long that silo was paused.
/// </summary>
internal static class FencedWriteScript
{
    /// <summary>Result: written.</summary>
    public const long Written = 0;

    /// <summary>Result: the stored ETag is not the expected one.</summary>
    public const long EtagMismatch = -1;

    /// <summary>Result: the writing silo is dead or absent in the membership table.</summary>
    public const long SiloNotAlive = -2;

    /// <summary>
    /// KEYS[1] state hash, KEYS[2] membership hash. ARGV[1] expected ETag ('' = no record expected),
    /// ARGV[2] new ETag, ARGV[3] payload, ARGV[4] the writing silo's field in the membership hash,
    /// ARGV[5] 'write' or 'clear'. Orleans stores a membership row as JSON whose Status is the
    /// SiloStatus enum (Dead = 6); a row that is missing or cannot be read counts as not alive.
    /// </summary>
    public const string Source =
        """
        local row = redis.call('HGET', KEYS[2], ARGV[4])
        if not row then return -2 end
        local ok, entry = pcall(cjson.decode, row)
        if not ok or type(entry) ~= 'table' then return -2 end
        local status = entry['Status']
        if status == 6 or status == 'Dead' or status == nil then return -2 end
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if not etag then etag = '' end
        if etag ~= ARGV[1] then return -1 end
        if ARGV[5] == 'clear' then
          redis.call('DEL', KEYS[1])
        else
          redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
        end
        return 0
        """;
}
