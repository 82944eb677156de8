package convert

import "strings"

// applyImages renames the images berth builds after the environment's
// registry and tag policy, in the containers and in Bundle.Images (so that
// `up` and `promote` build and push exactly what the manifests name).
func (c *converter) applyImages(env Environment) {
	tag := c.envTag(env)
	renamed := map[string]string{}
	for i, img := range c.b.Images {
		name, oldTag := splitTag(img.Image)
		if tag != "" {
			oldTag = tag
		}
		if env.Registry != "" && !hasRegistry(name) {
			name = strings.TrimSuffix(env.Registry, "/") + "/" + name
		}
		newImage := name + ":" + oldTag
		if newImage != img.Image {
			renamed[img.Image] = newImage
			c.b.Images[i].Image = newImage
		}
	}
	if len(renamed) == 0 {
		return
	}
	for _, o := range c.b.Objects {
		pt := podTemplateOf(o)
		if pt == nil {
			continue
		}
		for i := range pt.Spec.Containers {
			if n, ok := renamed[pt.Spec.Containers[i].Image]; ok {
				pt.Spec.Containers[i].Image = n
			}
		}
	}
}

// envTag is the tag the policy gives built images, or "" to keep theirs.
func (c *converter) envTag(env Environment) string {
	switch {
	case env.TagPolicy == TagGitCommit && c.opts.GitCommit != "":
		return c.opts.GitCommit
	case env.TagPolicy == TagGitCommit || env.TagPolicy == TagComposeHash:
		return c.opts.ComposeHash
	case strings.HasPrefix(env.TagPolicy, "fixed:"):
		return strings.TrimPrefix(env.TagPolicy, "fixed:")
	}
	return ""
}

// splitTag splits "reg:5000/app:v1" into "reg:5000/app" and "v1".
func splitTag(image string) (string, string) {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i], image[i+1:]
	}
	return image, "latest"
}

// hasRegistry reports whether an image name starts with a registry host.
func hasRegistry(name string) bool {
	first, _, ok := strings.Cut(name, "/")
	return ok && (strings.ContainsAny(first, ".:") || first == "localhost")
}
