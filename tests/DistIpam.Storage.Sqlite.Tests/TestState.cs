namespace DistIpam.Storage.Sqlite.Tests;

// Persisted in test files only, but kept to the project rule: ids are never reused or renumbered.
[GenerateSerializer]
public sealed class TestState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public string Text { get; set; } = "";
}
