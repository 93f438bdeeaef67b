package packaging

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"
)

// wailsConfig is the part of wails.json the bundles must agree with.
type wailsConfig struct {
	Name           string `json:"name"`
	OutputFilename string `json:"outputfilename"`
	Info           struct {
		ProductName    string `json:"productName"`
		ProductVersion string `json:"productVersion"`
		Copyright      string `json:"copyright"`
		Comments       string `json:"comments"`
		Protocols      []struct {
			Scheme string `json:"scheme"`
		} `json:"protocols"`
	} `json:"info"`
}

func readWailsConfig(t *testing.T) wailsConfig {
	t.Helper()
	raw, err := os.ReadFile("../../wails.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg wailsConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("wails.json: %v", err)
	}
	if len(cfg.Info.Protocols) != 1 || cfg.Info.Protocols[0].Scheme != "leadnavigator" {
		t.Fatalf("wails.json info.protocols = %+v, want the one scheme leadnavigator", cfg.Info.Protocols)
	}
	return cfg
}

// renderPlist fills the template the way Wails does (text/template with
// .Name and .Info from wails.json) and returns the top-level dict.
func renderPlist(t *testing.T, path string, cfg wailsConfig) map[string]any {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.New(path).Parse(string(src))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, map[string]any{"Name": cfg.Name, "Info": cfg.Info}); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	dict, err := parsePlist(out.Bytes())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return dict
}

func TestInfoPlistAgreesWithWailsJSON(t *testing.T) {
	cfg := readWailsConfig(t)
	for _, path := range []string{"../../build/darwin/Info.plist", "../../build/darwin/Info.dev.plist"} {
		p := renderPlist(t, path, cfg)
		// Wails puts the binary at Contents/MacOS/<outputfilename>.
		if p["CFBundleExecutable"] != cfg.OutputFilename {
			t.Errorf("%s: CFBundleExecutable %v, the bundle holds %q", path, p["CFBundleExecutable"], cfg.OutputFilename)
		}
		if id, _ := p["CFBundleIdentifier"].(string); !regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`).MatchString(id) {
			t.Errorf("%s: CFBundleIdentifier %q is not a reverse-DNS name (letters, digits, hyphens, dots)", path, id)
		}
		if v, _ := p["LSMinimumSystemVersion"].(string); majorVersion(v) < 11 {
			t.Errorf("%s: LSMinimumSystemVersion %q; DuckDB's darwin libraries need 11", path, v)
		}
		if p["CFBundleShortVersionString"] != cfg.Info.ProductVersion || p["CFBundleVersion"] != cfg.Info.ProductVersion {
			t.Errorf("%s: bundle versions %v/%v, wails.json %q", path, p["CFBundleShortVersionString"], p["CFBundleVersion"], cfg.Info.ProductVersion)
		}
		if got := urlSchemes(p); fmt.Sprint(got) != fmt.Sprint([]string{cfg.Info.Protocols[0].Scheme}) {
			t.Errorf("%s: CFBundleURLSchemes %v, wails.json protocols %v", path, got, cfg.Info.Protocols)
		}
	}
}

func majorVersion(v string) int {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n
}

func urlSchemes(p map[string]any) []string {
	var out []string
	types, _ := p["CFBundleURLTypes"].([]any)
	for _, ty := range types {
		d, _ := ty.(map[string]any)
		schemes, _ := d["CFBundleURLSchemes"].([]any)
		for _, s := range schemes {
			out = append(out, fmt.Sprint(s))
		}
	}
	return out
}

// nsisScript is build/windows/installer/project.nsi with the defines
// scripts/package/windows.sh passes. makensis itself expands it when it is
// installed (-PPO: preprocess only); otherwise the !define lines are
// expanded here.
func nsisScript(t *testing.T, version string) string {
	t.Helper()
	const path = "../../build/windows/installer/project.nsi"
	defines := map[string]string{"VERSION": version, "BINARY": `C:\build\lead-navigator.exe`,
		"WEBVIEW2_SETUP": `C:\build\MicrosoftEdgeWebview2Setup.exe`, "OUTFILE": `C:\build\setup.exe`}
	raw, err := os.ReadFile(path) // also keys go test's cache on the file
	if err != nil {
		t.Fatal(err)
	}
	if makensis, err := exec.LookPath("makensis"); err == nil {
		args := []string{"-PPO"}
		for k, v := range defines {
			args = append(args, "-D"+k+"="+v)
		}
		out, err := exec.Command(makensis, append(args, path)...).CombinedOutput()
		if err != nil {
			t.Fatalf("makensis -PPO: %v\n%s", err, out)
		}
		return string(out)
	}
	defineLine := regexp.MustCompile(`(?m)^\s*!define\s+(\w+)\s+"([^"]*)"`)
	for _, m := range defineLine.FindAllStringSubmatch(string(raw), -1) {
		defines[m[1]] = m[2]
	}
	return regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(string(raw), func(ref string) string {
		if v, ok := defines[ref[2:len(ref)-1]]; ok {
			return v
		}
		return ref
	})
}

func TestNSISScriptIs64BitAndQuotesTheURLCommand(t *testing.T) {
	cfg := readWailsConfig(t)
	script := nsisScript(t, cfg.Info.ProductVersion)
	exe := cfg.OutputFilename + ".exe"
	scheme := cfg.Info.Protocols[0].Scheme

	// Windows splits an unquoted C:\Program Files\... at the space.
	command := regexp.MustCompile(`(?m)^\s*WriteRegStr HKLM "Software\\Classes\\` + scheme + `\\shell\\open\\command" "" "(.*)"\s*$`)
	m := command.FindStringSubmatch(script)
	if m == nil {
		t.Fatalf("the installer does not register %s:// (no shell\\open\\command line)", scheme)
	}
	if want := `$\"$INSTDIR\` + exe + `$\" $\"%1$\"`; m[1] != want {
		t.Fatalf("URL handler command %s, want %s (program path and argument quoted)", m[1], want)
	}
	for _, want := range []string{
		"Target amd64-unicode",         // a 64-bit installer
		`InstallDir "$PROGRAMFILES64\`, // Program Files, not Program Files (x86)
		`WriteUninstaller "$INSTDIR\uninstall.exe"`,
		`CreateShortcut "$SMPROGRAMS\`,
		`MicrosoftEdgeWebview2Setup.exe" /silent /install`,
		`File "/oname=` + exe + `"`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the NSIS script lacks %q", want)
		}
	}
	if strings.Contains(script, "wails_tools.nsh") {
		t.Error("the script includes Wails' wails_tools.nsh, whose URL command is unquoted")
	}
}

// parsePlist decodes an XML property list into Go values: dict -> map,
// array -> []any, string/integer/real -> string, true/false -> bool.
func parsePlist(data []byte) (map[string]any, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("no <dict> in the plist: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			v, err := plistValue(dec, se)
			if err != nil {
				return nil, err
			}
			return v.(map[string]any), nil
		}
	}
}

func plistValue(dec *xml.Decoder, start xml.StartElement) (any, error) {
	switch start.Name.Local {
	case "dict":
		out := map[string]any{}
		key := ""
		err := eachChild(dec, func(el xml.StartElement) error {
			if el.Name.Local == "key" {
				return dec.DecodeElement(&key, &el)
			}
			if key == "" {
				return fmt.Errorf("<%s> without a <key> before it", el.Name.Local)
			}
			if _, dup := out[key]; dup {
				return fmt.Errorf("key %s appears twice", key)
			}
			v, err := plistValue(dec, el)
			out[key], key = v, ""
			return err
		})
		return out, err
	case "array":
		var out []any
		err := eachChild(dec, func(el xml.StartElement) error {
			v, err := plistValue(dec, el)
			out = append(out, v)
			return err
		})
		return out, err
	case "true", "false":
		return start.Name.Local == "true", dec.Skip()
	default:
		var s string
		err := dec.DecodeElement(&s, &start)
		return s, err
	}
}

// eachChild calls fn for each child element up to the parent's end tag.
func eachChild(dec *xml.Decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if err := fn(el); err != nil {
				return err
			}
		}
	}
}
