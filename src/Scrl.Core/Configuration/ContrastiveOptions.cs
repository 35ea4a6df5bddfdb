namespace Scrl.Core.Configuration;

/// <summary>SimCLR's NT-Xent loss (google-research/simclr objective.py <c>add_contrastive_loss</c>).</summary>
public sealed record ContrastiveOptions
{
    /// <summary>Softmax temperature τ. SimCLR's large-batch recipe (batch 4096, LARS) uses 0.1; an SCRL batch of 256
    /// images carries up to 2,560 box pairs, so 5,120 embeddings meet in one similarity matrix, that regime.</summary>
    public double Temperature { get; init; } = 0.1;

    public IReadOnlyList<ValidationError> Validate(string path = "contrastive")
    {
        var errors = new List<ValidationError>();
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
            errors.Add(new($"{path}.temperature", $"must be a positive number, was {Temperature}"));
        return errors;
    }
}
