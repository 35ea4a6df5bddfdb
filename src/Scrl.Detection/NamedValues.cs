namespace Scrl.Detection;

/// <summary>The names under which the CLI, specs and checkpoints write the values of an enum, both ways.</summary>
/// <param name="what">What a value is, for the error message ("detector", "task").</param>
internal sealed class NamedValues<T>(IReadOnlyDictionary<T, string> names, string what) where T : struct, Enum
{
    public IReadOnlyCollection<string> All => [.. names.Values];

    public string NameOf(T value) =>
        names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"unknown {what}");

    public T? TryParse(string? name) => names.Where(kv => kv.Value == name).Select(kv => (T?)kv.Key).FirstOrDefault();

    /// <exception cref="ArgumentException">Not one of <see cref="All"/>; the message lists them.</exception>
    public T Parse(string name) => TryParse(name)
        ?? throw new ArgumentException($"unknown {what} '{name}'; expected one of {string.Join(", ", All)}", nameof(name));
}
