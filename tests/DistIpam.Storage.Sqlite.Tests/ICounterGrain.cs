namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>A grain whose only job is to keep a persisted number, for the silo restart test.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="delta"/>, writes the state and returns the new value.</summary>
    Task<int> AddAsync(int delta);

    /// <summary>Returns the value read at activation (or last written).</summary>
    Task<int> GetAsync();
}
