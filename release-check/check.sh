#!/usr/bin/env bash
# The release check (see pom.xml): reproducible client jars, and published artifacts that work for a consumer.
# Arguments: project root, the outer build's folder name, this module's build folder, the local repository, version.
set -euo pipefail
root=$1 build_dir=$2 out=$3 local_repo=$4 version=$5
staging="$out/staging"
consumer_repo="$out/consumer-repo"
consumer="$out/consumer"
second=target-release
published=".,sdk-bom,sdk-core,sdk-twin,sdk-exchange,sdk-iot,sdk-sandbox"
clients="sdk-core sdk-twin sdk-exchange sdk-iot"
rm -rf "$staging" "$consumer_repo" "$consumer"
mkdir -p "$out"

echo "release check 1/3: a second build of the published modules, deployed to $staging"
"$root/mvnw" -B -q -f "$root/pom.xml" -pl "$published" "-Dshudu.build.dir=$second" -DskipTests \
  -Dmaven.javadoc.skip=true -Dcyclonedx.skip=true -Denforcer.skip=true \
  -Dmaven.install.skip=true "-DaltDeploymentRepository=staging::file://$staging" deploy

echo "release check 2/3: the client jars of two clean builds are byte-identical"
for m in $clients; do
  for kind in "" "-sources"; do
    a="$root/$m/$build_dir/$m-$version$kind.jar"
    b="$root/$m/$second/$m-$version$kind.jar"
    if ! cmp -s "$a" "$b"; then
      echo "NOT REPRODUCIBLE: $a and $b differ:" >&2
      diff <(unzip -lv "$a") <(unzip -lv "$b") >&2 || true
      exit 1
    fi
    echo "  identical: $m-$version$kind.jar ($(sha256sum < "$a" | cut -c1-16))"
  done
done
rm -rf "${root:?}"/*/"$second" "$root/$second"

echo "release check 3/3: a consumer that imports only the BOM, io.shudu artifacts from the staging repository only"
cp -r "$root/release-check/consumer" "$consumer"
cat > "$consumer/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>staging</id>
      <repositories>
        <repository>
          <id>staging</id><url>file://$staging</url>
          <releases><enabled>false</enabled></releases>
          <snapshots><enabled>true</enabled><updatePolicy>always</updatePolicy></snapshots>
        </repository>
        <!-- third-party releases from the build's own cache (no io.shudu snapshot can come from here), then Central -->
        <repository>
          <id>cache</id><url>file://$local_repo</url>
          <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>cache</id><url>file://$local_repo</url>
          <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
</settings>
XML
"$root/mvnw" -B -q -f "$consumer/pom.xml" -s "$consumer/settings.xml" "-Dmaven.repo.local=$consumer_repo" \
  "-Dshudu.version=$version" package

for m in sdk-bom sdk-core sdk-twin sdk-exchange sdk-iot sdk-sandbox; do
  if ! grep -qs "staging" "$consumer_repo/io/shudu/$m/$version/"*.repositories "$consumer_repo/io/shudu/$m/$version/resolver-status.properties" 2>/dev/null \
     && ! ls "$consumer_repo/io/shudu/$m/$version/" | grep -q "maven-metadata-staging.xml"; then
    echo "io.shudu:$m:$version was not resolved from the staging repository" >&2
    ls -la "$consumer_repo/io/shudu/$m/$version/" >&2 || true
    exit 1
  fi
done

lib="$consumer/target/lib"
expect="consumer ok:"
echo "  on the module path"
mp=$(java --module-path "$consumer/target/classes:$lib" -m io.shudu.consumer/io.shudu.consumer.Main)
echo "    $mp"
[[ "$mp" == *"$expect"*"module io.shudu.twin"* ]] || { echo "module-path run failed: $mp" >&2; exit 1; }
echo "  on the class path"
cp_out=$(java -cp "$consumer/target/classes:$lib/*" io.shudu.consumer.Main)
echo "    $cp_out"
[[ "$cp_out" == *"$expect"*"unnamed module"* ]] || { echo "class-path run failed: $cp_out" >&2; exit 1; }
echo "release check passed"
