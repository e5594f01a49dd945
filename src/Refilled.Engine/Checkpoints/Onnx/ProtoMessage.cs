using Google.Protobuf;

namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// One protobuf message written field by field with Google.Protobuf's <see cref="CodedOutputStream"/> (no generated code:
/// the ONNX messages are few, see <see cref="OnnxProto"/>). A nested message is written as a length-delimited field
/// holding its finished bytes.
/// </summary>
internal sealed class ProtoMessage
{
    readonly MemoryStream buffer = new();
    readonly CodedOutputStream output;

    public ProtoMessage() => output = new CodedOutputStream(buffer, leaveOpen: true);

    public ProtoMessage Int64(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    /// <summary>An int32 varint is the int64 varint of the same value (negative ones sign-extended to ten bytes).</summary>
    public ProtoMessage Int32(int field, int value) => Int64(field, value);

    public ProtoMessage Float(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    public ProtoMessage String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoMessage Bytes(int field, ReadOnlyMemory<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        output.Flush();
        return buffer.ToArray();
    }
}
