package lambdatest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/intrinsics"

	"gongwen/internal/s3job"
	"gongwen/internal/testtool"
)

// Pseudo parameters as a deployment in a test account would see them.
var pseudo = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
	"AWS::StackName": "gongwen", "AWS::URLSuffix": "amazonaws.com",
}

// resolver resolves intrinsics the way the test needs: parameters to their defaults,
// pseudo parameters to test values, and references to resources to markers
// ("ref:Name", "getatt:Name.Attr") that the checks follow; anything else becomes
// "unresolved:…", which fails the test.
type resolver struct {
	params     map[string]any
	resources  map[string]any
	overrides  map[string]string // parameter values other than the defaults
	conditions map[string]any    // the template's Conditions, unresolved
}

func (r *resolver) ref(name string) any {
	if name == "AWS::NoValue" {
		return nil
	}
	if v, ok := r.overrides[name]; ok {
		return v
	}
	if v, ok := pseudo[name]; ok {
		return v
	}
	if p, ok := r.params[name].(map[string]any); ok {
		if d, ok := p["Default"].(string); ok {
			return d
		}
	}
	if _, ok := r.resources[name]; ok {
		return "ref:" + name
	}
	return "unresolved:" + name
}

// condition evaluates the template's condition name: Fn::Equals of parameters and
// literals, and Fn::Not; nil for anything else.
func (r *resolver) condition(name string) any {
	c, _ := r.conditions[name].(map[string]any)
	var eval func(e any) any
	value := func(e any) (string, bool) {
		if m, ok := e.(map[string]any); ok {
			if ref, ok := m["Ref"].(string); ok {
				s, ok := r.ref(ref).(string)
				return s, ok
			}
			return "", false
		}
		s, ok := e.(string)
		return s, ok
	}
	eval = func(e any) any {
		m, _ := e.(map[string]any)
		if args, ok := m["Fn::Equals"].([]any); ok && len(args) == 2 {
			a, ok1 := value(args[0])
			b, ok2 := value(args[1])
			if ok1 && ok2 {
				return a == b
			}
		}
		if args, ok := m["Fn::Not"].([]any); ok && len(args) == 1 {
			if b, ok := eval(args[0]).(bool); ok {
				return !b
			}
		}
		return nil
	}
	return eval(c)
}

func (r *resolver) getAtt(res, attr string) string {
	if _, ok := r.resources[res]; ok {
		return "getatt:" + res + "." + attr
	}
	return "unresolved:" + res + "." + attr
}

var subVar = regexp.MustCompile(`\$\{([^}!]+)\}`)

func (r *resolver) options() *intrinsics.ProcessorOptions {
	return &intrinsics.ProcessorOptions{IntrinsicHandlerOverrides: map[string]intrinsics.IntrinsicHandler{
		"Ref": func(_ string, in any, _ any) any {
			s, _ := in.(string)
			return r.ref(s)
		},
		"Fn::GetAtt": func(_ string, in any, _ any) any {
			switch v := in.(type) {
			case []any:
				if len(v) == 2 {
					a, _ := v[0].(string)
					b, _ := v[1].(string)
					return r.getAtt(a, b)
				}
			case string:
				a, b, _ := strings.Cut(v, ".")
				return r.getAtt(a, b)
			}
			return "unresolved:getatt"
		},
		"Fn::Sub": func(_ string, in any, _ any) any {
			s, ok := in.(string)
			if !ok {
				return "unresolved:sub"
			}
			return subVar.ReplaceAllStringFunc(s, func(m string) string {
				name := m[2 : len(m)-1]
				if res, attr, ok := strings.Cut(name, "."); ok {
					return r.getAtt(res, attr)
				}
				s, _ := r.ref(name).(string)
				return s
			})
		},
		"Fn::If": func(_ string, in any, _ any) any {
			v, ok := in.([]any)
			if !ok || len(v) != 3 {
				return "unresolved:if"
			}
			name, _ := v[0].(string)
			switch r.condition(name) {
			case true:
				return v[1]
			case false:
				return v[2]
			}
			return "unresolved:condition " + name
		},
	}}
}

// loadTemplate parses template.yaml twice with the same intrinsic handling: as a
// goformation template (typed SAM resources) and as a plain tree (for what
// goformation's types drop, such as SAM policy templates and Globals).
func loadTemplate(t *testing.T) (*cloudformation.Template, map[string]any) {
	t.Helper()
	return loadTemplateWith(t, nil)
}

// loadTemplateWith is loadTemplate with some parameters set.
func loadTemplateWith(t *testing.T, overrides map[string]string) (*cloudformation.Template, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ModuleRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	plain, err := intrinsics.ProcessYAML(data, &intrinsics.ProcessorOptions{NoProcess: true})
	if err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	json.Unmarshal(plain, &raw)
	params, _ := raw["Parameters"].(map[string]any)
	resources, _ := raw["Resources"].(map[string]any)
	conditions, _ := raw["Conditions"].(map[string]any)
	res := &resolver{params: params, resources: resources, overrides: overrides, conditions: conditions}
	tpl, err := goformation.ParseYAMLWithOptions(data, res.options())
	if err != nil {
		t.Fatalf("goformation: %v", err)
	}
	resolved, err := intrinsics.ProcessYAML(data, res.options())
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(resolved, &tree); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(resolved), "unresolved:") {
		t.Errorf("template has references to nothing: %s", regexp.MustCompile(`unresolved:[^"]*`).FindAllString(string(resolved), -1))
	}
	return tpl, tree
}

func get(m any, path ...string) any {
	for _, p := range path {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[p]
	}
	return m
}

func typeOf(tree map[string]any, name string) string {
	s, _ := get(tree, "Resources", name, "Type").(string)
	return s
}

func target(s string) string {
	_, name, _ := strings.Cut(s, ":")
	name, _, _ = strings.Cut(name, ".")
	return name
}

func TestTemplateFunctions(t *testing.T) {
	tpl, tree := loadTemplate(t)
	if tree["Transform"] != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform %v", tree["Transform"])
	}
	fns := tpl.GetAllServerlessFunctionResources()
	names := make([]string, 0, len(fns))
	for n := range fns {
		names = append(names, n)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"HttpFunction", "S3Function"}) {
		t.Fatalf("functions %v", names)
	}
	globals, _ := get(tree, "Globals", "Function").(map[string]any)
	root := ModuleRoot(t)
	for _, name := range names {
		f := fns[name]
		prop := func(k string) any { // the function's own setting, else the global one
			if v := get(tree, "Resources", name, "Properties", k); v != nil {
				return v
			}
			return globals[k]
		}
		if prop("Runtime") != "provided.al2023" || prop("Handler") != "bootstrap" ||
			!slices.Equal(toStrings(prop("Architectures")), []string{"arm64"}) {
			t.Errorf("%s: runtime %v handler %v architectures %v", name, prop("Runtime"), prop("Handler"), prop("Architectures"))
		}
		if f.AWSCloudFormationMetadata["BuildMethod"] != "go1.x" {
			t.Errorf("%s: BuildMethod %v", name, f.AWSCloudFormationMetadata["BuildMethod"])
		}
		if mem, _ := prop("MemorySize").(float64); mem < 128 || mem > 10240 {
			t.Errorf("%s: MemorySize %v", name, prop("MemorySize"))
		}
		if to, _ := prop("Timeout").(float64); to < 1 || (name == "HttpFunction" && to > 29) {
			t.Errorf("%s: Timeout %v (an HTTP API waits at most 30 s)", name, prop("Timeout"))
		}
		if f.CodeUri == nil || f.CodeUri.String == nil {
			t.Fatalf("%s: no CodeUri", name)
		}
		dir := filepath.Join(root, *f.CodeUri.String)
		if st, err := os.Stat(filepath.Join(dir, "main.go")); err != nil || st.IsDir() {
			t.Errorf("%s: CodeUri %s has no main.go: %v", name, *f.CodeUri.String, err)
		}
		// It builds as SAM builds it: linux/arm64.
		BuildBootstrap(t, "./"+filepath.ToSlash(*f.CodeUri.String), "arm64")
	}
}

func toStrings(v any) []string {
	var out []string
	if a, ok := v.([]any); ok {
		for _, x := range a {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

// TestTemplateEvents: the HTTP routes are the API's (and the $default route, so
// that wrong methods and paths reach the function's 405 and 404), on an HTTP API of
// this template; the upload events are on this template's input bucket, filtered to
// the input prefix and .json, .docx or .txt; failures go to a queue of this template.
func TestTemplateEvents(t *testing.T) {
	tpl, tree := loadTemplate(t)
	fns := tpl.GetAllServerlessFunctionResources()
	if evs := fns["HttpFunction"].Events; len(evs) != 0 {
		t.Errorf("HttpFunction has SAM events %v: its routes are the template's AWS::ApiGatewayV2::Route resources", evs)
	}
	var routes []string
	for name := range tree["Resources"].(map[string]any) {
		if typeOf(tree, name) != "AWS::ApiGatewayV2::Route" {
			continue
		}
		p := func(k string) any { return get(tree, "Resources", name, "Properties", k) }
		routes = append(routes, fmt.Sprint(p("RouteKey")))
		if api, _ := p("ApiId").(string); typeOf(tree, target(api)) != "AWS::ApiGatewayV2::Api" {
			t.Errorf("route %s: ApiId %v is not an HTTP API of the template", name, p("ApiId"))
		}
		integ, _ := p("Target").(string)
		integ = strings.TrimPrefix(integ, "integrations/")
		if typeOf(tree, target(integ)) != "AWS::ApiGatewayV2::Integration" {
			t.Errorf("route %s: target %v", name, p("Target"))
			continue
		}
		ip := func(k string) any { return get(tree, "Resources", target(integ), "Properties", k) }
		if ip("IntegrationType") != "AWS_PROXY" || ip("PayloadFormatVersion") != "2.0" || ip("IntegrationUri") != "getatt:HttpFunction.Arn" {
			t.Errorf("integration of %s: %v %v %v", name, ip("IntegrationType"), ip("PayloadFormatVersion"), ip("IntegrationUri"))
		}
	}
	sort.Strings(routes)
	// $default: other methods and paths get the API's own 405 and 404 problems.
	if want := []string{"$default", "GET /schema", "POST /import", "POST /render", "POST /validate"}; !slices.Equal(routes, want) {
		t.Errorf("routes %v, want %v", routes, want)
	}
	if get(tree, "Resources", "HttpApiStage", "Properties", "StageName") != "$default" {
		t.Error("the HTTP API has no $default stage")
	}
	if perm := get(tree, "Resources", "HttpApiInvokePermission", "Properties"); get(perm, "FunctionName") != "ref:HttpFunction" ||
		get(perm, "Principal") != "apigateway.amazonaws.com" || !strings.HasSuffix(fmt.Sprint(get(perm, "SourceArn")), ":ref:HttpApi/*") {
		t.Errorf("invoke permission %v", perm)
	}

	env := func(fn, k string) string {
		s, _ := get(tree, "Resources", fn, "Properties", "Environment", "Variables", k).(string)
		return s
	}
	// Reports (.json), and the Word files and text the function imports.
	for name, suffix := range map[string]string{"Upload": ".json", "UploadDocx": ".docx", "UploadText": ".txt"} {
		upload := fns["S3Function"].Events[name]
		if upload.Type != "S3" {
			t.Fatalf("S3Function event %s type %s", name, upload.Type)
		}
		bucket, _ := get(tree, "Resources", "S3Function", "Properties", "Events", name, "Properties", "Bucket").(string)
		if typeOf(tree, target(bucket)) != "AWS::S3::Bucket" || target(bucket) != "InputBucket" {
			t.Errorf("%s event bucket %q", name, bucket)
		}
		rules := map[string]string{}
		for _, r := range get(tree, "Resources", "S3Function", "Properties", "Events", name, "Properties", "Filter", "S3Key", "Rules").([]any) {
			rules[get(r, "Name").(string)], _ = get(r, "Value").(string)
		}
		if rules["prefix"] != env("S3Function", "INPUT_PREFIX") || rules["suffix"] != suffix {
			t.Errorf("%s filter %v, INPUT_PREFIX %q", name, rules, env("S3Function", "INPUT_PREFIX"))
		}
		events, _ := get(tree, "Resources", "S3Function", "Properties", "Events", name, "Properties", "Events").(string)
		if events != "s3:ObjectCreated:*" {
			t.Errorf("%s S3 events %q", name, events)
		}
	}
	// The function's own configuration is one it accepts, and its outputs go to the
	// output bucket, which is not the input bucket.
	cfg, err := s3job.ConfigFromEnv(func(k string) string { return env("S3Function", k) })
	if err != nil {
		t.Errorf("S3Function environment: %v", err)
	}
	inName, _ := get(tree, "Resources", "InputBucket", "Properties", "BucketName").(string)
	outName, _ := get(tree, "Resources", "OutputBucket", "Properties", "BucketName").(string)
	if cfg.OutputBucket != outName || outName == inName || env("HttpFunction", "OUTPUT_BUCKET") != outName {
		t.Errorf("output bucket %q / %q, input %q", cfg.OutputBucket, env("HttpFunction", "OUTPUT_BUCKET"), inName)
	}
	// The oversized HTTP outputs expire.
	expires := false
	for _, r := range get(tree, "Resources", "OutputBucket", "Properties", "LifecycleConfiguration", "Rules").([]any) {
		if get(r, "Prefix") == "http-large/" && get(r, "Status") == "Enabled" && get(r, "ExpirationInDays") != nil {
			expires = true
		}
	}
	if !expires {
		t.Error("no lifecycle rule expiring http-large/ in the output bucket")
	}

	eic := fns["S3Function"].EventInvokeConfig
	if eic == nil || eic.DestinationConfig == nil || eic.DestinationConfig.OnFailure == nil || eic.DestinationConfig.OnFailure.Type == nil || *eic.DestinationConfig.OnFailure.Type != "SQS" {
		t.Fatalf("no on-failure destination: %+v", eic)
	}
	dest, _ := get(tree, "Resources", "S3Function", "Properties", "EventInvokeConfig", "DestinationConfig", "OnFailure", "Destination").(string)
	if typeOf(tree, target(dest)) != "AWS::SQS::Queue" {
		t.Errorf("on-failure destination %q is not a queue of the template", dest)
	}

	for _, k := range []string{"ApiUrl", "InputBucketName", "OutputBucketName"} {
		if get(tree, "Outputs", k, "Value") == nil {
			t.Errorf("no output %s", k)
		}
	}
}

// TestTemplatePolicies: every S3 permission names a bucket of this template (never
// "*" or arn:aws:s3:::*), and no policy refers to a bucket resource (that would be a
// dependency cycle with the bucket's notification).
func TestTemplatePolicies(t *testing.T) {
	_, tree := loadTemplate(t)
	buckets := map[string]bool{}
	for name := range tree["Resources"].(map[string]any) {
		if typeOf(tree, name) == "AWS::S3::Bucket" {
			n, _ := get(tree, "Resources", name, "Properties", "BucketName").(string)
			buckets[n] = true
		}
	}
	arn := regexp.MustCompile(`^arn:aws:s3:::([^/*]+)(/.*)?$`)
	for name := range tree["Resources"].(map[string]any) {
		if typeOf(tree, name) != "AWS::Serverless::Function" {
			continue
		}
		policies, _ := get(tree, "Resources", name, "Properties", "Policies").([]any)
		if len(policies) == 0 {
			t.Errorf("%s: no policies", name)
		}
		raw, _ := json.Marshal(policies)
		if regexp.MustCompile(`"(ref|getatt):[A-Za-z]*Bucket`).Match(raw) {
			t.Errorf("%s: a policy refers to a bucket resource (dependency cycle): %s", name, raw)
		}
		for _, p := range policies {
			switch p := p.(type) {
			case string:
				// A managed policy: none of them is scoped to our buckets.
				if strings.Contains(strings.ToLower(p), "s3") {
					t.Errorf("%s: managed policy %s grants S3 beyond our buckets", name, p)
				}
			case map[string]any:
				for k, v := range p {
					if k == "Statement" {
						for _, st := range v.([]any) {
							for _, e := range checkStatement(st.(map[string]any), arn, buckets) {
								t.Errorf("%s: %s", name, e)
							}
						}
						continue
					}
					if strings.HasPrefix(k, "S3") { // SAM policy templates: S3ReadPolicy, S3CrudPolicy…
						b, _ := get(v, "BucketName").(string)
						if !buckets[b] {
							t.Errorf("%s: %s on %q, not a bucket of the template", name, k, b)
						}
					}
				}
			}
		}
	}
}

// checkStatement lists what is wrong with one IAM statement's S3 access.
func checkStatement(st map[string]any, arn *regexp.Regexp, buckets map[string]bool) (errs []string) {
	actions := toStrings(st["Action"])
	if s, ok := st["Action"].(string); ok {
		actions = []string{s}
	}
	s3 := false
	for _, a := range actions {
		if a == "*" || strings.HasPrefix(a, "s3:") {
			s3 = true
		}
	}
	if !s3 {
		return nil
	}
	resources := toStrings(st["Resource"])
	if s, ok := st["Resource"].(string); ok {
		resources = []string{s}
	}
	if len(resources) == 0 {
		errs = append(errs, fmt.Sprintf("S3 statement without resources: %v", st))
	}
	for _, r := range resources {
		m := arn.FindStringSubmatch(r)
		if m == nil || !buckets[m[1]] {
			errs = append(errs, fmt.Sprintf("S3 access to %q, not to a bucket of the template", r))
		}
	}
	return errs
}

// TestTemplateChecksCatchWildcards makes sure the policy check can fail.
func TestTemplateChecksCatchWildcards(t *testing.T) {
	arn := regexp.MustCompile(`^arn:aws:s3:::([^/*]+)(/.*)?$`)
	buckets := map[string]bool{"gongwen-output-123456789012-us-east-1": true}
	for _, r := range []string{"*", "arn:aws:s3:::*", "arn:aws:s3:::*/rendered/*", "arn:aws:s3:::other-bucket/*"} {
		if len(checkStatement(map[string]any{"Action": []any{"s3:GetObject"}, "Resource": r}, arn, buckets)) == 0 {
			t.Errorf("resource %q passed the check", r)
		}
	}
}

// TestTemplateCfnLint runs cfn-lint, which applies the SAM transform itself and checks
// the resulting CloudFormation (property names and types, dependency cycles).
func TestTemplateCfnLint(t *testing.T) {
	lint := testtool.Require(t, "cfn-lint")
	cmd := exec.Command(lint, "template.yaml")
	cmd.Dir = ModuleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("cfn-lint template.yaml: %v\n%s", err, out)
	}
}

// TestTemplateS3Grants: each function gets exactly the S3 access its code uses, on
// exactly the keys it uses: the S3 function reads objects under the input prefix
// (and may list the input bucket, so a deleted input is a 404), writes and deletes
// under the output prefix; the HTTP function writes and reads http-large/ of the
// output bucket. Anything more, or less, fails.
func TestTemplateS3Grants(t *testing.T) {
	_, tree := loadTemplate(t)
	env := func(fn, k string) string {
		s, _ := get(tree, "Resources", fn, "Properties", "Environment", "Variables", k).(string)
		return s
	}
	in, _ := get(tree, "Resources", "InputBucket", "Properties", "BucketName").(string)
	out, _ := get(tree, "Resources", "OutputBucket", "Properties", "BucketName").(string)
	arn := func(s string) string { return "arn:aws:s3:::" + s }
	want := map[string][]string{
		"S3Function": {
			"s3:GetObject " + arn(in+"/"+env("S3Function", "INPUT_PREFIX")+"*"),
			"s3:GetObjectVersion " + arn(in+"/"+env("S3Function", "INPUT_PREFIX")+"*"),
			"s3:ListBucket " + arn(in),
			"s3:PutObject " + arn(out+"/"+env("S3Function", "OUTPUT_PREFIX")+"*"),
			"s3:DeleteObject " + arn(out+"/"+env("S3Function", "OUTPUT_PREFIX")+"*"),
			"s3:GetObject " + arn(out+"/"+env("S3Function", "OUTPUT_PREFIX")+"*"), // HeadObject of an output
		},
		"HttpFunction": {
			"s3:PutObject " + arn(out+"/http-large/*"),
			"s3:GetObject " + arn(out+"/http-large/*"),
		},
	}
	for fn, w := range want {
		var got []string
		policies, _ := get(tree, "Resources", fn, "Properties", "Policies").([]any)
		for _, p := range policies {
			m, ok := p.(map[string]any)
			if !ok {
				t.Errorf("%s: policy %v is not an inline statement", fn, p)
				continue
			}
			for k := range m {
				if k != "Statement" {
					t.Errorf("%s: policy template %s (grants more than the keys used)", fn, k)
				}
			}
			sts, _ := m["Statement"].([]any)
			for _, st := range sts {
				st := st.(map[string]any)
				if st["Effect"] != "Allow" || st["Condition"] != nil {
					t.Errorf("%s: statement %v", fn, st)
				}
				actions, resources := toStrings(st["Action"]), toStrings(st["Resource"])
				if s, ok := st["Action"].(string); ok {
					actions = []string{s}
				}
				if s, ok := st["Resource"].(string); ok {
					resources = []string{s}
				}
				for _, a := range actions {
					for _, r := range resources {
						got = append(got, a+" "+r)
					}
				}
			}
		}
		sort.Strings(got)
		sort.Strings(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s grants\n%s\nwant\n%s", fn, strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	}
}

// TestTemplateAuthorization: every route of the HTTP API has an authorizer (AWS_IAM
// by default, the template's JWT authorizer with the issuer and audience given)
// unless the Authorization parameter says NONE; no function has an HTTP event of its
// own that would bypass them; the input bucket is versioned.
func TestTemplateAuthorization(t *testing.T) {
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{nil, "AWS_IAM"},
		{map[string]string{"Authorization": "AWS_IAM"}, "AWS_IAM"},
		{map[string]string{"Authorization": "JWT", "JwtIssuer": "https://issuer.example", "JwtAudience": "client-1"}, "JWT"},
		{map[string]string{"Authorization": "NONE"}, "NONE"},
	} {
		tpl, tree := loadTemplateWith(t, tc.params)
		n := 0
		for name := range tree["Resources"].(map[string]any) {
			if typeOf(tree, name) != "AWS::ApiGatewayV2::Route" {
				continue
			}
			n++
			p := func(k string) any { return get(tree, "Resources", name, "Properties", k) }
			at, _ := p("AuthorizationType").(string)
			if at != tc.want || (at == "" || at == "NONE") && tc.want != "NONE" {
				t.Errorf("%v: route %s (%v) has authorization %q, want %s", tc.params, name, p("RouteKey"), at, tc.want)
			}
			id, _ := p("AuthorizerId").(string)
			switch tc.want {
			case "JWT":
				a := get(tree, "Resources", target(id), "Properties")
				if typeOf(tree, target(id)) != "AWS::ApiGatewayV2::Authorizer" || get(a, "AuthorizerType") != "JWT" ||
					get(a, "JwtConfiguration", "Issuer") != "https://issuer.example" ||
					fmt.Sprint(get(a, "JwtConfiguration", "Audience")) != "[client-1]" {
					t.Errorf("route %s: authorizer %q: %v", name, id, a)
				}
				if c, _ := get(tree, "Resources", target(id), "Condition").(string); c != "UseJwt" {
					t.Errorf("the JWT authorizer's condition is %q, want UseJwt (it exists only then)", c)
				}
			default:
				if id != "" {
					t.Errorf("%v: route %s has authorizer %q", tc.params, name, id)
				}
			}
		}
		if n == 0 {
			t.Fatalf("%v: no routes", tc.params)
		}
		for fn, f := range tpl.GetAllServerlessFunctionResources() {
			for en, ev := range f.Events {
				if ev.Type == "HttpApi" || ev.Type == "Api" {
					t.Errorf("%s: event %s (%s) is a route outside the authorized API", fn, en, ev.Type)
				}
			}
		}
		for name := range tree["Resources"].(map[string]any) {
			if ty := typeOf(tree, name); ty == "AWS::Serverless::HttpApi" || ty == "AWS::Serverless::Api" || ty == "AWS::Lambda::Url" {
				t.Errorf("%s (%s): an HTTP entry point this test does not check", name, ty)
			}
		}
	}
	_, tree := loadTemplate(t)
	if get(tree, "Resources", "InputBucket", "Properties", "VersioningConfiguration", "Status") != "Enabled" {
		t.Error("the input bucket is not versioned: the S3 function cannot read the version its event names")
	}
}
