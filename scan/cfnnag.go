package scan

// cfnNagIDs are the IDs of cfn_nag's rules. A suppression that names one
// that safetynet has no rule for yet is ignored rather than reported as a
// misspelling, so a repository moving from cfn_nag is not flooded with
// warnings about its existing metadata.
var cfnNagIDs = map[string]bool{}

func init() {
	for _, id := range []string{
		"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
		"F13", "F14", "F15", "F16", "F18", "F19", "F20", "F21", "F22", "F23", "F24", "F25",
		"F26", "F27", "F28", "F29", "F30", "F31", "F32", "F33", "F34", "F35", "F36", "F37",
		"F38", "F39", "F40", "F41", "F42", "F43", "F44", "F45", "F46", "F47", "F48", "F49",
		"F50", "F51", "F52", "F53", "F54", "F55", "F56", "F57", "F58", "F60", "F61", "F62",
		"F63", "F64", "F65", "F66", "F67", "F68", "F69", "F70", "F71", "F74", "F75", "F76",
		"F77", "F78", "F79", "F80", "F665", "F1000", "F2000", "W1", "W2", "W5", "W9", "W10",
		"W11", "W12", "W13", "W14", "W15", "W16", "W17", "W18", "W19", "W20", "W21", "W22",
		"W23", "W24", "W26", "W27", "W28", "W29", "W31", "W32", "W33", "W34", "W35", "W36",
		"W37", "W38", "W39", "W40", "W41", "W42", "W43", "W44", "W45", "W46", "W47", "W48",
		"W49", "W50", "W51", "W52", "W53", "W54", "W55", "W56", "W57", "W58", "W59", "W60",
		"W61", "W62", "W63", "W64", "W65", "W66", "W67", "W68", "W69", "W70", "W71", "W72",
		"W73", "W74", "W75", "W76", "W77", "W78", "W79", "W80", "W81", "W82", "W83", "W84",
		"W85", "W86", "W87", "W88", "W89", "W90", "W91", "W92", "W1200", "W1201",
	} {
		cfnNagIDs[id] = true
	}
}
