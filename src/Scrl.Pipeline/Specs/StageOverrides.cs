using System.Text.RegularExpressions;

namespace Scrl.Pipeline.Specs;

/// <summary>The shape of option overrides (<c>dotted.camelCase</c> key → value); their meaning is checked by the worker
/// that applies them.</summary>
internal static partial class StageOverrides
{
    /// <param name="example">A key of the options concerned, shown in the message for a malformed key.</param>
    public static IReadOnlyList<ValidationError> Validate(string path, IReadOnlyDictionary<string, string>? overrides, string example)
    {
        if (overrides is null) return [new(path, "must not be null")];
        var errors = new List<ValidationError>();
        foreach ((string key, string? value) in overrides)
        {
            if (!IsKey(key)) errors.Add(KeyError($"{path}['{key}']", example));
            if (string.IsNullOrWhiteSpace(value)) errors.Add(new($"{path}['{key}']", "must have a value"));
        }
        return errors;
    }

    public static bool IsKey(string key) => KeyPattern().IsMatch(key);

    public static ValidationError KeyError(string path, string example) =>
        new(path, $"keys are camelCase option names, dotted for nested options, e.g. {example}");

    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$")]
    private static partial Regex KeyPattern();
}
