namespace Refilled.PowerShell.Objects;

/// <summary>The file formats Export-RefilledModel writes.</summary>
public enum ModelFormat
{
    /// <summary>Refilled's own checkpoint: every weight and the training metadata; Import-Student and Import-Teacher read it back.</summary>
    Refilled,

    /// <summary>An ONNX inference model for deployment (ONNX Runtime and other ONNX runtimes); Measure-Student -OnnxPath measures it.</summary>
    Onnx,
}
