using System.Text;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>
/// An STDF V4 reader for the tests, written from the record layouts of the STDF V4 specification and sharing
/// nothing with the product's writer: a table of (type, subtype, field list) per record, a field decoder per data
/// type, byte order taken from FAR.CPU_TYPE (1 = big-endian, 2 = little-endian). Fields missing at the end of a
/// record (the spec allows truncation of trailing optional fields) are simply absent from the result.
/// </summary>
internal static class StdfV4Reader
{
    internal sealed record StdfRecord(string Name, int RecLen, IReadOnlyDictionary<string, object> Fields)
    {
        public object this[string field] => Fields[field];

        public bool Has(string field) => Fields.ContainsKey(field);
    }

    // Record layouts (STDF V4): name, REC_TYP, REC_SUB, fields "NAME:TYPE".
    private static readonly (string Name, int Typ, int Sub, string Fields)[] s_layouts =
    {
        ("FAR", 0, 10, "CPU_TYPE:U1 STDF_VER:U1"),
        ("ATR", 0, 20, "MOD_TIM:U4 CMD_LINE:Cn"),
        ("MIR", 1, 10, "SETUP_T:U4 START_T:U4 STAT_NUM:U1 MODE_COD:C1 RTST_COD:C1 PROT_COD:C1 BURN_TIM:U2 CMOD_COD:C1 "
            + "LOT_ID:Cn PART_TYP:Cn NODE_NAM:Cn TSTR_TYP:Cn JOB_NAM:Cn JOB_REV:Cn SBLOT_ID:Cn OPER_NAM:Cn EXEC_TYP:Cn EXEC_VER:Cn "
            + "TEST_COD:Cn TST_TEMP:Cn USER_TXT:Cn AUX_FILE:Cn PKG_TYP:Cn FAMLY_ID:Cn DATE_COD:Cn FACIL_ID:Cn FLOOR_ID:Cn PROC_ID:Cn "
            + "OPER_FRQ:Cn SPEC_NAM:Cn SPEC_VER:Cn FLOW_ID:Cn SETUP_ID:Cn DSGN_REV:Cn ENG_ID:Cn ROM_COD:Cn SERL_NUM:Cn SUPR_NAM:Cn"),
        ("MRR", 1, 20, "FINISH_T:U4 DISP_COD:C1 USR_DESC:Cn EXC_DESC:Cn"),
        ("PCR", 1, 30, "HEAD_NUM:U1 SITE_NUM:U1 PART_CNT:U4 RTST_CNT:U4 ABRT_CNT:U4 GOOD_CNT:U4 FUNC_CNT:U4"),
        ("HBR", 1, 40, "HEAD_NUM:U1 SITE_NUM:U1 HBIN_NUM:U2 HBIN_CNT:U4 HBIN_PF:C1 HBIN_NAM:Cn"),
        ("SBR", 1, 50, "HEAD_NUM:U1 SITE_NUM:U1 SBIN_NUM:U2 SBIN_CNT:U4 SBIN_PF:C1 SBIN_NAM:Cn"),
        ("WIR", 2, 10, "HEAD_NUM:U1 SITE_GRP:U1 START_T:U4 WAFER_ID:Cn"),
        ("WRR", 2, 20, "HEAD_NUM:U1 SITE_GRP:U1 FINISH_T:U4 PART_CNT:U4 RTST_CNT:U4 ABRT_CNT:U4 GOOD_CNT:U4 FUNC_CNT:U4 "
            + "WAFER_ID:Cn FABWF_ID:Cn FRAME_ID:Cn MASK_ID:Cn USR_DESC:Cn EXC_DESC:Cn"),
        ("WCR", 2, 30, "WAFR_SIZ:R4 DIE_HT:R4 DIE_WID:R4 WF_UNITS:U1 WF_FLAT:C1 CENTER_X:I2 CENTER_Y:I2 POS_X:C1 POS_Y:C1"),
        ("PIR", 5, 10, "HEAD_NUM:U1 SITE_NUM:U1"),
        ("PRR", 5, 20, "HEAD_NUM:U1 SITE_NUM:U1 PART_FLG:B1 NUM_TEST:U2 HARD_BIN:U2 SOFT_BIN:U2 X_COORD:I2 Y_COORD:I2 TEST_T:U4 "
            + "PART_ID:Cn PART_TXT:Cn PART_FIX:Bn"),
        ("TSR", 10, 30, "HEAD_NUM:U1 SITE_NUM:U1 TEST_TYP:C1 TEST_NUM:U4 EXEC_CNT:U4 FAIL_CNT:U4 ALRM_CNT:U4 TEST_NAM:Cn SEQ_NAME:Cn "
            + "TEST_LBL:Cn OPT_FLAG:B1 TEST_TIM:R4 TEST_MIN:R4 TEST_MAX:R4 TST_SUMS:R4 TST_SQRS:R4"),
        ("PTR", 15, 10, "TEST_NUM:U4 HEAD_NUM:U1 SITE_NUM:U1 TEST_FLG:B1 PARM_FLG:B1 RESULT:R4 TEST_TXT:Cn ALARM_ID:Cn OPT_FLAG:B1 "
            + "RES_SCAL:I1 LLM_SCAL:I1 HLM_SCAL:I1 LO_LIMIT:R4 HI_LIMIT:R4 UNITS:Cn C_RESFMT:Cn C_LLMFMT:Cn C_HLMFMT:Cn LO_SPEC:R4 HI_SPEC:R4"),
    };

    public static (bool LittleEndian, List<StdfRecord> Records) Read(byte[] data)
    {
        if (data.Length < 6) throw new InvalidDataException("shorter than a FAR");
        if (data[2] != 0 || data[3] != 10) throw new InvalidDataException("the first record is not a FAR");
        bool little = data[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new InvalidDataException($"FAR CPU_TYPE {data[4]} is neither 1 (big-endian) nor 2 (little-endian)"),
        };
        var records = new List<StdfRecord>();
        int pos = 0;
        while (pos < data.Length)
        {
            if (pos + 4 > data.Length) throw new InvalidDataException($"record header cut at byte {pos}");
            int len = little ? data[pos] | data[pos + 1] << 8 : data[pos] << 8 | data[pos + 1];
            int typ = data[pos + 2], sub = data[pos + 3];
            if (pos + 4 + len > data.Length) throw new InvalidDataException($"record {typ}/{sub} at byte {pos} claims {len} bytes past the end");
            var layout = s_layouts.FirstOrDefault(l => l.Typ == typ && l.Sub == sub);
            if (layout.Name == null) throw new InvalidDataException($"unknown record {typ}/{sub}");
            records.Add(new StdfRecord(layout.Name, len, Decode(data.AsSpan(pos + 4, len), layout.Fields, little)));
            pos += 4 + len;
        }
        return (little, records);
    }

    private static Dictionary<string, object> Decode(ReadOnlySpan<byte> body, string layout, bool little)
    {
        var fields = new Dictionary<string, object>();
        int i = 0;
        foreach (var spec in layout.Split(' '))
        {
            if (i >= body.Length) break; // truncated: the remaining fields are missing
            string name = spec[..spec.IndexOf(':')];
            string type = spec[(spec.IndexOf(':') + 1)..];
            switch (type)
            {
                case "U1": case "B1": fields[name] = body[i]; i += 1; break;
                case "I1": fields[name] = unchecked((sbyte)body[i]); i += 1; break;
                case "C1": fields[name] = (char)body[i]; i += 1; break;
                case "U2": fields[name] = (ushort)Int(body.Slice(i, 2), little); i += 2; break;
                case "I2": fields[name] = unchecked((short)(ushort)Int(body.Slice(i, 2), little)); i += 2; break;
                case "U4": fields[name] = (uint)Int(body.Slice(i, 4), little); i += 4; break;
                case "R4": fields[name] = BitConverter.Int32BitsToSingle(unchecked((int)(uint)Int(body.Slice(i, 4), little))); i += 4; break;
                case "Cn":
                    {
                        int n = body[i];
                        fields[name] = Encoding.ASCII.GetString(body.Slice(i + 1, n));
                        i += 1 + n;
                        break;
                    }
                case "Bn":
                    {
                        int n = body[i];
                        fields[name] = body.Slice(i + 1, n).ToArray();
                        i += 1 + n;
                        break;
                    }
                default: throw new InvalidOperationException("layout type " + type);
            }
        }
        if (i != body.Length) throw new InvalidDataException($"record body has {body.Length} bytes, the fields used {i}");
        return fields;
    }

    /// <summary>An unsigned integer of 2 or 4 bytes in the file's byte order, assembled byte by byte.</summary>
    private static ulong Int(ReadOnlySpan<byte> b, bool little)
    {
        ulong v = 0;
        for (int k = 0; k < b.Length; k++)
        {
            int index = little ? b.Length - 1 - k : k;
            v = v << 8 | b[index];
        }
        return v;
    }
}
