namespace Scrl.Pipeline.Specs;

/// <summary>One run of a sweep: its spec and the grid values that made it.</summary>
public sealed record SweepMember(RunSpec Spec, IReadOnlyDictionary<string, string> Parameters);

/// <summary>Expands a sweep's grid into run specs, deterministically (orchestrators call it on every replay).</summary>
public static class SweepGrid
{
    /// <summary>The cartesian product of the grid, keys in ordinal order and values in the order given; run
    /// <c>i</c> gets id <see cref="RunIds.SweepMember"/>(<paramref name="sweepId"/>, i) and the base overrides plus
    /// its grid values (a grid key replaces a base override of the same name).</summary>
    public static IReadOnlyList<SweepMember> Expand(SweepSpec sweep, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        string[] keys = [.. sweep.Grid.Keys.Order(StringComparer.Ordinal)];
        IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> combinations = [[]];
        foreach (string key in keys)
        {
            IReadOnlyList<string> values = sweep.Grid[key];
            combinations = combinations.SelectMany(
                prefix => values.Select(value => (IReadOnlyList<KeyValuePair<string, string>>)[.. prefix, new(key, value)]));
        }

        return [.. combinations.Select((parameters, index) =>
        {
            var overrides = new Dictionary<string, string>(sweep.Base.Overrides, StringComparer.Ordinal);
            foreach ((string key, string value) in parameters) overrides[key] = value;
            RunSpec spec = sweep.Base with { RunId = RunIds.SweepMember(sweepId, index), Overrides = overrides };
            return new SweepMember(spec, parameters.ToDictionary(StringComparer.Ordinal));
        })];
    }
}
