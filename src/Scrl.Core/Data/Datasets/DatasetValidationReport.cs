using System.Text;
using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Datasets;

/// <summary>Every problem found in one validation pass, with counts per kind.</summary>
public sealed record DatasetValidationReport
{
    public DatasetValidationReport(string dataset, int recordCount, IReadOnlyList<DatasetProblem> problems)
    {
        Dataset = dataset;
        RecordCount = recordCount;
        Problems = problems;
        Counts = Enum.GetValues<DatasetProblemKind>()
            .Select(kind => (kind, count: problems.Count(p => p.Kind == kind)))
            .Where(c => c.count > 0)
            .ToDictionary(c => c.kind.ToString(), c => c.count);
        BadImageIds = [.. problems.Select(p => p.ImageId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The dataset's description.</summary>
    public string Dataset { get; }

    public int RecordCount { get; }

    /// <summary>Problem count per <see cref="DatasetProblemKind"/> name; kinds with none are absent.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; }

    /// <summary>Ids of the records with at least one problem, sorted.</summary>
    public IReadOnlyList<string> BadImageIds { get; }

    public IReadOnlyList<DatasetProblem> Problems { get; }

    [JsonIgnore]
    public bool IsValid => Problems.Count == 0;

    /// <summary>A summary line of counts, then every problem on its own line.</summary>
    public string Describe()
    {
        var text = new StringBuilder()
            .Append($"{Dataset}: {Problems.Count} problems in {BadImageIds.Count} of {RecordCount} images (")
            .AppendJoin(", ", Counts.Select(c => $"{c.Key} {c.Value}"))
            .Append(')');
        foreach (var problem in Problems) text.AppendLine().Append("  ").Append(problem);
        return text.ToString();
    }
}
