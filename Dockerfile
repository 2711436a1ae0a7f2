# Updraft's image: the scheduler, the API server, the triggerer and the pods of the kubernetes
# executor (docs/deploy.md#kubernetes). Build: docker build -t updraft:0.1.0 .
# Stage 1 builds the runnable jar with the Maven wrapper; stage 2 is a JRE and the jar.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY updraft-sdk/pom.xml updraft-sdk/pom.xml
COPY updraft-server/pom.xml updraft-server/pom.xml
COPY updraft-bench/pom.xml updraft-bench/pom.xml
# Dependencies first, in a layer of their own: a change to the sources does not download them again.
RUN ./mvnw -B -q -ntp -pl updraft-server -am dependency:go-offline -DskipTests || true
COPY updraft-sdk updraft-sdk
COPY updraft-server updraft-server
RUN ./mvnw -B -q -ntp -pl updraft-server -am package -DskipTests -Dspotless.check.skip=true

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 50000 updraft \
 && useradd --system --uid 50000 --gid updraft --home-dir /home/updraft --create-home updraft \
 && mkdir -p /opt/updraft /home/updraft/updraft \
 && chown updraft:updraft /home/updraft/updraft
COPY --from=build /src/updraft-server/target/updraft.jar /opt/updraft/updraft.jar
# The launcher: `updraft tasks run ...` is what each task pod runs.
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -jar /opt/updraft/updraft.jar "$@"\n' > /usr/local/bin/updraft \
 && chmod 755 /usr/local/bin/updraft
USER 50000
ENV UPDRAFT_HOME=/home/updraft/updraft \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
WORKDIR /home/updraft
ENTRYPOINT ["/usr/local/bin/updraft"]
CMD ["--help"]
