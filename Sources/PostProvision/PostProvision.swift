// The post-provisioning job and its worker (issue 5).
