using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Optim;

/// <summary>Decides which tensors LARS leaves out of weight decay and trust-ratio adaptation.</summary>
public static class LarsGrouping
{
    /// <summary>kakaobrain/scrl optim/getters.py <c>bisect_params_with_names(criterion=['bn', 'bias'])</c>.</summary>
    private static readonly string[] OfficialExcludedSubstrings = ["bn", "bias"];

    /// <param name="officialName">The name the official code gives the tensor (it decides ScrlOfficial exclusion).</param>
    /// <param name="parameter">The tensor (its rank decides Byol exclusion).</param>
    /// <param name="mode">Which LARS to reproduce.</param>
    public static bool IsExcluded(string officialName, Tensor parameter, LarsMode mode) => mode switch
    {
        LarsMode.ScrlOfficial => OfficialExcludedSubstrings.Any(s => officialName.Contains(s, StringComparison.Ordinal)),
        LarsMode.Byol => parameter.dim() == 1,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown LARS mode"),
    };

    /// <summary>Labels every named parameter that requires a gradient.</summary>
    /// <param name="named">Our parameter names (used as state keys) and tensors.</param>
    /// <param name="toOfficialName">Maps our name to the official one, e.g. <c>online.encoder.bn1.weight</c> to <c>encoder.1.weight</c>.</param>
    /// <param name="mode">Which LARS to reproduce.</param>
    public static IReadOnlyList<LarsParameter> Group(
        IEnumerable<(string Name, Parameter Parameter)> named, Func<string, string> toOfficialName, LarsMode mode) =>
        named.Where(n => n.Parameter.requires_grad)
             .Select(n => new LarsParameter(n.Name, n.Parameter, IsExcluded(toOfficialName(n.Name), n.Parameter, mode)))
             .ToList();
}
