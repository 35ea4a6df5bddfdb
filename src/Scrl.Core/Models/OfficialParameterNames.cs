using System.Text.RegularExpressions;

namespace Scrl.Core.Models;

/// <summary>
/// Maps <see cref="ScrlLearner"/> parameter names to the names the official code gives the same tensors, whose
/// substrings decide LARS exclusion there. The official encoder is an nn.Sequential, so conv1/bn1/layerN become
/// encoder.0/encoder.1/encoder.{N+3}; names are per module, as <c>module.named_parameters()</c> yields them.
/// </summary>
/// <remarks>kakaobrain/scrl models/backbone.py (encoder, projector), models/heads.py (net.*, linear.*), optim/getters.py.</remarks>
public static partial class OfficialParameterNames
{
    /// <example><c>online.encoder.bn1.weight</c> -> <c>encoder.1.weight</c>; <c>predictor.net.1.bias</c> -> <c>net.1.bias</c>;
    /// <c>classifier.weight</c> -> <c>linear.weight</c>.</example>
    public static string FromLearnerName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.StartsWith("predictor.", StringComparison.Ordinal)) return name["predictor.".Length..];
        if (name.StartsWith("classifier.", StringComparison.Ordinal)) return "linear." + name["classifier.".Length..];
        foreach (var network in (string[])["online.", "target."])
        {
            if (!name.StartsWith(network, StringComparison.Ordinal)) continue;
            var local = name[network.Length..];
            if (local.StartsWith("projector.", StringComparison.Ordinal)) return local;
            if (local.StartsWith("encoder.", StringComparison.Ordinal)) return "encoder." + EncoderIndex(local["encoder.".Length..], name);
        }
        throw new ArgumentException($"'{name}' is not a parameter name of ScrlLearner.", nameof(name));
    }

    private static string EncoderIndex(string trunkName, string fullName)
    {
        if (trunkName.StartsWith("conv1.", StringComparison.Ordinal)) return "0." + trunkName["conv1.".Length..];
        if (trunkName.StartsWith("bn1.", StringComparison.Ordinal)) return "1." + trunkName["bn1.".Length..];
        var layer = LayerPrefix().Match(trunkName);
        if (!layer.Success) throw new ArgumentException($"'{fullName}' is not a ResNet trunk parameter.", nameof(fullName));
        int index = int.Parse(layer.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 3;   // after conv1, bn1, relu, maxpool
        return $"{index}.{trunkName[layer.Length..]}";
    }

    [GeneratedRegex(@"^layer([1-4])\.")]
    private static partial Regex LayerPrefix();
}
