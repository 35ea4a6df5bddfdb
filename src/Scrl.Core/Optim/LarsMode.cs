namespace Scrl.Core.Optim;

/// <summary>Which LARS the optimizer reproduces; they differ in what is excluded and how excluded tensors step.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LarsMode>))]
public enum LarsMode
{
    /// <summary>
    /// kakaobrain/scrl CustomLARS over torchlars 0.1.2: a tensor is excluded when its OFFICIAL name contains
    /// "bn" or "bias"; trust ratio trust*||p|| / (||g|| + wd*||p|| + eps); excluded gradients are multiplied by
    /// the learning rate before momentum, so they step by lr² (a quirk kept for parity).
    /// </summary>
    ScrlOfficial,

    /// <summary>
    /// deepmind BYOL: every 1-D tensor (biases, norm scales and shifts) is excluded from weight decay and
    /// adaptation and steps by lr; trust ratio eta*||p|| / ||g + wd*p||.
    /// </summary>
    Byol,
}
