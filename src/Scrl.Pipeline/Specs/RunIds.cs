using System.Globalization;

namespace Scrl.Pipeline.Specs;

/// <summary>Generates run and sweep ids that sort by start time and are valid artifact segments and instance ids.</summary>
public static class RunIds
{
    /// <summary><c>run-20250102-030405-1a2b3c4d</c>: UTC start time plus 8 hex digits of <paramref name="entropy"/>.</summary>
    public static string New(DateTimeOffset now, Guid entropy) => Make("run", now, entropy);

    /// <summary>True when <paramref name="id"/> can be a run or sweep id (<c>[a-z0-9-]{1,63}</c>): what the HTTP
    /// APIs check before they look an id up, so no path-like id reaches storage.</summary>
    public static bool IsValid(string? id) => id is not null && RunSpec.RunIdPattern().IsMatch(id);

    /// <summary>The 400 answer's problem for an id from a URL path, or null when the id is valid.</summary>
    public static ValidationError? PathProblem(string? id) =>
        IsValid(id) ? null : new ValidationError("$.id", $"must be 1-63 lowercase letters, digits or '-', was '{id}'");

    /// <summary><c>sweep-20250102-030405-1a2b3c4d</c>.</summary>
    public static string NewSweep(DateTimeOffset now, Guid entropy) => Make("sweep", now, entropy);

    /// <summary>The id of run <paramref name="index"/> (0-based) of a sweep: <c>{sweepId}-003</c>.</summary>
    public static string SweepMember(string sweepId, int index) =>
        $"{sweepId}-{index.ToString("D3", CultureInfo.InvariantCulture)}";

    private static string Make(string kind, DateTimeOffset now, Guid entropy) =>
        $"{kind}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{entropy.ToString("N")[..8]}";
}
