namespace Scrl.Core.Interop;

/// <summary>
/// Renames the official SCRL <c>online_network_state_dict</c> keys to torchvision's. The SCRL encoder is
/// <c>nn.Sequential(*list(resnet.children())[:-1])</c>, so children are numbered in torchvision's order:
/// 0 conv1, 1 bn1, 2 relu, 3 maxpool, 4..7 layer1..4, 8 avgpool.
/// </summary>
public static class ScrlEncoderKeys
{
    private const string EncoderPrefix = "encoder.";

    /// <summary>Only these children hold weights.</summary>
    private static readonly IReadOnlyDictionary<string, string> ChildNames = new Dictionary<string, string>
    {
        ["0"] = "conv1", ["1"] = "bn1", ["4"] = "layer1", ["5"] = "layer2", ["6"] = "layer3", ["7"] = "layer4",
    };

    /// <summary>True for keys of the projection head, which the backbone does not keep.</summary>
    public static bool IsProjector(string key) => key.StartsWith("projector.", StringComparison.Ordinal);

    /// <summary>True if the key belongs to the SCRL encoder (<c>encoder.N.*</c>).</summary>
    public static bool IsEncoder(string key) => key.StartsWith(EncoderPrefix, StringComparison.Ordinal);

    /// <summary>Maps <c>encoder.4.0.conv1.weight</c> to <c>layer1.0.conv1.weight</c>; null for a child with no weights in torchvision.</summary>
    public static string? ToTorchvision(string encoderKey)
    {
        string rest = encoderKey[EncoderPrefix.Length..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !ChildNames.TryGetValue(rest[..dot], out string? child)) return null;
        return child + rest[dot..];
    }
}
