namespace Scrl.Pipeline.Specs;

/// <summary>One problem in a user-supplied spec, with the JSON path of the offending value (<c>$.finetune[1].schedule</c>).</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
