namespace Scrl.Core.Data.Datasets;

/// <summary>
/// A bad record met while its image was being used rather than in a validation pass: <see cref="Shards.ShardWriter"/>
/// throws it when it checks images as it writes them. Callers catch it to fall back to <see cref="DatasetValidator"/>,
/// which lists every problem (or drops the bad records) instead of stopping at the first.
/// </summary>
public sealed class DatasetProblemException(DatasetProblem problem) : Exception(problem?.ToString())
{
    /// <summary>The problem with the record.</summary>
    public DatasetProblem Problem { get; } = problem ?? throw new ArgumentNullException(nameof(problem));
}
