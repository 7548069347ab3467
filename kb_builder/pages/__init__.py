"""Pages as an edition shows them: front matter, audience, FAQ, video, navigation, URLs."""
