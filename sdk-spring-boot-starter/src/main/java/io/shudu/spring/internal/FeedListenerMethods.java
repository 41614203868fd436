package io.shudu.spring.internal;

import io.shudu.core.FeedEvent;
import io.shudu.core.FeedHandler;
import io.shudu.spring.FeedConsumer;
import io.shudu.spring.ShuduFeedListener;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/** Finds {@link ShuduFeedListener} methods on beans and turns them into {@link FeedConsumer}s. Not an API. */
public final class FeedListenerMethods implements BeanPostProcessor {
  private final List<Map.Entry<String, FeedConsumer<?>>> found = new ArrayList<>();

  /**
   * The consumers found so far, by default consumer name ({@code bean.method}).
   *
   * @return the consumers
   */
  public synchronized List<Map.Entry<String, FeedConsumer<?>>> consumers() {
    return List.copyOf(found);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> target = AopUtils.getTargetClass(bean);
    Map<Method, ShuduFeedListener> methods = MethodIntrospector.selectMethods(target,
        (MethodIntrospector.MetadataLookup<ShuduFeedListener>) m ->
            AnnotatedElementUtils.findMergedAnnotation(m, ShuduFeedListener.class));
    for (Map.Entry<Method, ShuduFeedListener> e : methods.entrySet()) {
      Method declared = e.getKey();
      Method invocable = AopUtils.selectInvocableMethod(declared, bean.getClass());
      FeedConsumer<?> consumer = consumer(bean, beanName, declared, invocable, e.getValue());
      synchronized (this) {
        found.add(new AbstractMap.SimpleImmutableEntry<>(beanName + "." + declared.getName(), consumer));
      }
    }
    return bean;
  }

  private static FeedConsumer<?> consumer(Object bean, String beanName, Method declared, Method invocable,
      ShuduFeedListener a) {
    String where = beanName + "." + declared.getName();
    if (declared.getParameterCount() != 1) {
      throw new IllegalStateException("@ShuduFeedListener method " + where + " must take exactly one parameter: "
          + "a FeedEvent<T> or the payload T (it takes " + declared.getParameterCount() + ")");
    }
    ResolvableType param = ResolvableType.forMethodParameter(declared, 0);
    boolean wholeEvent = FeedEvent.class.isAssignableFrom(param.toClass());
    Class<?> payload = wholeEvent ? param.getGeneric(0).resolve(Object.class) : param.toClass();
    if (payload == Object.class) {
      payload = Map.class;
    }
    ReflectionUtils.makeAccessible(invocable);
    FeedHandler<Object> handler = event -> {
      try {
        invocable.invoke(bean, wholeEvent ? event : event.payload());
      } catch (InvocationTargetException ite) {
        Throwable cause = ite.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw ite;
      }
    };
    return build(a, payload, handler, where);
  }

  @SuppressWarnings("unchecked")
  private static <T> FeedConsumer<T> build(ShuduFeedListener a, Class<T> payload, FeedHandler<Object> handler,
      String where) {
    FeedConsumer.Builder<T> b = FeedConsumer.builder(a.feed(), payload, (FeedHandler<T>) (FeedHandler<?>) handler)
        .keys(Arrays.asList(a.keys()))
        .start(a.start())
        .transactional(a.transactional());
    try {
      b.consumer(a.consumer().isEmpty() ? where : a.consumer());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("@ShuduFeedListener on " + where + ": " + e.getMessage(), e);
    }
    return b.build();
  }
}
