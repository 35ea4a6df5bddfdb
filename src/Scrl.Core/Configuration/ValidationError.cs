namespace Scrl.Core.Configuration;

/// <summary>One problem in user-supplied configuration, with the dotted path of the offending key.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
