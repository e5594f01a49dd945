using System.Buffers.Binary;
using System.Text;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// Walks a pickle's opcodes without executing any of them and refuses every global outside the
/// tensor-rebuild allow-list. PyBridge's unpickler (Razorvine) has no allow-list of its own: unknown globals
/// become placeholder objects, so the check has to happen before the file reaches it.
/// </summary>
internal static class PickleGlobalScanner
{
    static readonly HashSet<string> AllowedGlobals = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
        "torch.BoolStorage", "torch.ComplexDoubleStorage", "torch.ComplexFloatStorage",
    };

    /// <summary>Throws <see cref="UnsafePickleException"/> or <see cref="CheckpointFormatException"/>; returns when every global is allowed.</summary>
    public static void EnsureSafe(ReadOnlySpan<byte> pickle, string path)
    {
        // The last two values pushed, as far as STACK_GLOBAL needs them: a string, or null for anything else. Only
        // two are kept, so a pickle of a billion pushes costs no memory.
        var pushed = new LastTwo();
        var memo = new Dictionary<long, string?>();
        var pos = 0;
        while (true)
        {
            if (pos >= pickle.Length) throw new CheckpointFormatException(path, "the pickle ends without a STOP opcode (truncated?)");
            var opcode = pickle[pos++];
            switch (opcode)
            {
                case (byte)'.': return; // STOP
                case (byte)'c': // GLOBAL module\nname\n
                case (byte)'i': // INST module\nname\n
                {
                    var module = Line(pickle, ref pos, path);
                    var name = Line(pickle, ref pos, path);
                    Check(module, name, path);
                    pushed.Add(null);
                    break;
                }
                case 0x93: // STACK_GLOBAL: module and name are the two strings pushed just before
                {
                    if (pushed.BeforeLast is not { } module || pushed.Last is not { } name)
                        throw new UnsafePickleException(path, "<STACK_GLOBAL with a computed name>");
                    Check(module, name, path);
                    pushed.Add(null);
                    break;
                }
                case 0x82: case 0x83: case 0x84: // EXT1/2/4: globals from the copyreg extension registry
                    throw new UnsafePickleException(path, "<extension registry code>");

                // Strings, which STACK_GLOBAL may consume.
                case (byte)'V': pushed.Add(Line(pickle, ref pos, path)); break; // UNICODE
                case (byte)'S': pushed.Add(Line(pickle, ref pos, path).Trim('\'', '"')); break; // STRING
                case 0x8c: pushed.Add(Utf8(pickle, ref pos, Length(pickle, ref pos, 1, path), path)); break; // SHORT_BINUNICODE
                case (byte)'X': pushed.Add(Utf8(pickle, ref pos, Length(pickle, ref pos, 4, path), path)); break; // BINUNICODE
                case 0x8d: pushed.Add(Utf8(pickle, ref pos, Length(pickle, ref pos, 8, path), path)); break; // BINUNICODE8
                case (byte)'U': pushed.Add(Utf8(pickle, ref pos, Length(pickle, ref pos, 1, path), path)); break; // SHORT_BINSTRING
                case (byte)'T': pushed.Add(Utf8(pickle, ref pos, Length(pickle, ref pos, 4, path), path)); break; // BINSTRING

                // Memo: remember which memo slots hold strings.
                case 0x94: Remember(memo, memo.Count, pushed.Last, path); break; // MEMOIZE
                case (byte)'q': Remember(memo, Length(pickle, ref pos, 1, path), pushed.Last, path); break; // BINPUT
                case (byte)'r': Remember(memo, Length(pickle, ref pos, 4, path), pushed.Last, path); break; // LONG_BINPUT
                case (byte)'p': Remember(memo, LineNumber(pickle, ref pos, path), pushed.Last, path); break; // PUT
                case (byte)'h': pushed.Add(memo.GetValueOrDefault(Length(pickle, ref pos, 1, path))); break; // BINGET
                case (byte)'j': pushed.Add(memo.GetValueOrDefault(Length(pickle, ref pos, 4, path))); break; // LONG_BINGET
                case (byte)'g': pushed.Add(memo.GetValueOrDefault(LineNumber(pickle, ref pos, path))); break; // GET

                // Opcodes with a fixed-size argument.
                case 0x80: Skip(pickle, ref pos, 1, path); break; // PROTO
                case (byte)'K': Skip(pickle, ref pos, 1, path); pushed.Add(null); break; // BININT1
                case (byte)'M': Skip(pickle, ref pos, 2, path); pushed.Add(null); break; // BININT2
                case (byte)'J': Skip(pickle, ref pos, 4, path); pushed.Add(null); break; // BININT
                case (byte)'G': Skip(pickle, ref pos, 8, path); pushed.Add(null); break; // BINFLOAT
                case 0x95: Skip(pickle, ref pos, 8, path); break; // FRAME

                // Opcodes with a length-prefixed argument.
                case 0x8a: Skip(pickle, ref pos, Length(pickle, ref pos, 1, path), path); pushed.Add(null); break; // LONG1
                case 0x8b: Skip(pickle, ref pos, Length(pickle, ref pos, 4, path), path); pushed.Add(null); break; // LONG4
                case (byte)'C': Skip(pickle, ref pos, Length(pickle, ref pos, 1, path), path); pushed.Add(null); break; // SHORT_BINBYTES
                case (byte)'B': Skip(pickle, ref pos, Length(pickle, ref pos, 4, path), path); pushed.Add(null); break; // BINBYTES
                case 0x8e: case 0x96: Skip(pickle, ref pos, Length(pickle, ref pos, 8, path), path); pushed.Add(null); break; // BINBYTES8, BYTEARRAY8

                // Opcodes with a newline-terminated argument.
                case (byte)'I': case (byte)'L': case (byte)'F': case (byte)'P': // INT, LONG, FLOAT, PERSID
                    Line(pickle, ref pos, path);
                    pushed.Add(null);
                    break;

                // Argument-free opcodes; they build containers, call allowed callables or load persistent ids.
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N': case (byte)'Q':
                case (byte)'R': case (byte)'a': case (byte)'b': case (byte)'d': case (byte)'}': case (byte)'e':
                case (byte)'l': case (byte)']': case (byte)'o': case (byte)'s': case (byte)'t': case (byte)')':
                case (byte)'u': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
                case 0x90: case 0x91: case 0x92: case 0x97: case 0x98:
                    pushed.Add(null);
                    break;

                default:
                    throw new CheckpointFormatException(path, $"unknown pickle opcode 0x{opcode:x2} at offset {pos - 1}");
            }
        }
    }

    static void Check(string module, string name, string path)
    {
        var global = module + "." + name;
        if (!AllowedGlobals.Contains(global)) throw new UnsafePickleException(path, global);
    }

    /// <summary>A state_dict uses a handful of memo slots per tensor; this bounds the scanner's memory.</summary>
    const int MaxMemoSlots = 1 << 20;

    static void Remember(Dictionary<long, string?> memo, long slot, string? value, string path)
    {
        if (memo.Count >= MaxMemoSlots && !memo.ContainsKey(slot))
            throw new CheckpointFormatException(path, $"the pickle uses more than {MaxMemoSlots:N0} memo slots");
        memo[slot] = value;
    }

    struct LastTwo
    {
        public string? BeforeLast { get; private set; }
        public string? Last { get; private set; }

        public void Add(string? value)
        {
            BeforeLast = Last;
            Last = value;
        }
    }

    static void Skip(ReadOnlySpan<byte> pickle, ref int pos, long count, string path)
    {
        if (count < 0 || count > pickle.Length - pos) throw Truncated(path);
        pos += (int)count;
    }

    static long Length(ReadOnlySpan<byte> pickle, ref int pos, int size, string path)
    {
        if (pickle.Length - pos < size) throw Truncated(path);
        var bytes = pickle.Slice(pos, size);
        pos += size;
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        };
    }

    static string Utf8(ReadOnlySpan<byte> pickle, ref int pos, long count, string path)
    {
        var start = pos;
        Skip(pickle, ref pos, count, path);
        return Encoding.UTF8.GetString(pickle[start..pos]);
    }

    static string Line(ReadOnlySpan<byte> pickle, ref int pos, string path)
    {
        var end = pickle[pos..].IndexOf((byte)'\n');
        if (end < 0) throw Truncated(path);
        var text = Encoding.UTF8.GetString(pickle.Slice(pos, end));
        pos += end + 1;
        return text;
    }

    static long LineNumber(ReadOnlySpan<byte> pickle, ref int pos, string path) =>
        long.TryParse(Line(pickle, ref pos, path), out var n) ? n : throw new CheckpointFormatException(path, "a pickle memo index is not a number");

    static CheckpointFormatException Truncated(string path) => new(path, "the pickle is truncated");
}
