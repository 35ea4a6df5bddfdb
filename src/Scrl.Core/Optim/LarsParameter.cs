using TorchSharp.Modules;

namespace Scrl.Core.Optim;

/// <summary>One optimized tensor: its name (the momentum buffer's state-dict key) and whether LARS excludes it.</summary>
public sealed record LarsParameter(string Name, Parameter Parameter, bool Excluded);
