using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// One decoder level of a <see cref="UNet"/>: upsample the input to the skip input's size, concatenate the skip
/// (input channels first), and run a stage of blocks. Folds to Resize → Concat → the stage's plain form.
/// </summary>
internal sealed class DecoderStage : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _stage;
    private readonly PlainResizeMode _upsampling;

    public DecoderStage(nn.Module<Tensor, Tensor> stage, PlainResizeMode upsampling)
        : base(nameof(DecoderStage))
    {
        _stage = stage;
        _upsampling = upsampling;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor skip)
    {
        using var scope = NewDisposeScope();
        var upsampled = new PlainResize(_upsampling).Evaluate([input, skip], PlainWeights.None);
        return _stage.forward(cat([upsampled, skip], 1)).MoveToOuterDisposeScope();
    }

    public PlainValue Fold(GraphFolder folder, PlainValue input, PlainValue skip)
    {
        var upsampled = folder.Builder.Add(new PlainResize(_upsampling), input, skip);
        return folder.Fold(_stage, folder.Builder.Add(new PlainConcat(), upsampled, skip));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stage.Dispose();
        }

        base.Dispose(disposing);
    }
}
