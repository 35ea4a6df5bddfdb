namespace Scrl.Detection;

/// <summary>A setting with separate values in training and testing (torchvision's dict(training=..., testing=...)).</summary>
public sealed record TrainTest<T>(T Train, T Test)
{
    public T For(bool training) => training ? Train : Test;
}
